import SignetCore
import Synchronization

/// The namespace each name's first registration put it in, kept once read: it never changes
/// afterwards (the store refuses a signature of the name into another namespace), so every
/// replica may keep it for as long as it runs. A name with no signature yet has no entry.
final class NameOwnerCache: Sendable {
    /// The most names kept; past it, the cache starts again.
    static let capacity = 100_000

    private let owners = Mutex<[ArtifactName: String]>([:])

    func namespace(of name: ArtifactName) -> String? {
        owners.withLock { $0[name] }
    }

    func keep(_ namespace: String, for name: ArtifactName) {
        owners.withLock { owners in
            if owners.count >= Self.capacity { owners.removeAll(keepingCapacity: true) }
            owners[name] = namespace
        }
    }
}
