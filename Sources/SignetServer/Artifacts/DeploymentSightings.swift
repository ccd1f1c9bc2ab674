import SignetCore
import Synchronization

/// Which admissions this replica last wrote to the deployment inventory, so a gate that
/// admits the same artifact over and over writes it once an hour, not once a request: a new
/// environment and name, or another signature, is written at once.
final class DeploymentSightings: Sendable {
    struct Key: Hashable {
        var environment: String
        var name: ArtifactName
    }

    /// How long a sighting's last write stands for the ones after it.
    static let refreshSeconds: Int64 = 3600
    static let capacity = 100_000

    private let written = Mutex<[Key: (signatureID: String?, at: Timestamp)]>([:])

    /// Whether an admission of `key` resting on `signatureID` at `now` is news for the inventory.
    func isNews(_ key: Key, signatureID: String?, now: Timestamp) -> Bool {
        written.withLock { written in
            guard let last = written[key] else { return true }
            return last.signatureID != signatureID || now.seconds - last.at.seconds >= Self.refreshSeconds
        }
    }

    /// Notes that the inventory now holds `key` with `signatureID` as of `now`.
    func wrote(_ key: Key, signatureID: String?, now: Timestamp) {
        written.withLock { written in
            if written.count >= Self.capacity { written.removeAll(keepingCapacity: true) }
            written[key] = (signatureID, now)
        }
    }
}
