import SignetCore
import SignetPolicy
import SignetStore
import Synchronization

/// The gate's decisions, kept so that admission is a lookup: a decision is reused only while
/// the store's ``EvidenceStamp`` for its name is the one it was made at and it has not
/// expired. The stamp is read from the store on every request, before anything else, so a
/// revocation, a policy change or a new signature committed by any replica is seen by the
/// next request here; a decision made while one commits carries the stamp read before it, and
/// is never reused after it.
final class VerdictCache: Sendable {
    struct Key: Hashable {
        var name: ArtifactName
        var environment: String
        var lifetimeSeconds: Int64
    }

    private struct Entry {
        var stamp: EvidenceStamp
        var decision: Decision
    }

    /// The most decisions kept; past it, the expired go first, then all.
    static let capacity = 100_000

    private let entries = Mutex<[Key: Entry]>([:])

    /// The decision made for `key` at `stamp`, if it holds at `now`.
    func decision(for key: Key, stamp: EvidenceStamp, now: Timestamp) -> Decision? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.stamp == stamp, now < entry.decision.expiresAt else { return nil }
            return entry.decision
        }
    }

    /// The keys of the decisions kept, at most `limit`: what to make anew after a change that
    /// invalidates every decision (a revocation, a policy change).
    func keys(limit: Int) -> [Key] {
        entries.withLock { Array($0.keys.prefix(limit)) }
    }

    /// Keeps `decision`, made for `key` from evidence read at `stamp`.
    func keep(_ decision: Decision, for key: Key, stamp: EvidenceStamp, now: Timestamp) {
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { now < $0.value.decision.expiresAt }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(stamp: stamp, decision: decision)
        }
    }
}
