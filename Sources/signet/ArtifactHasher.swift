import Crypto
import Foundation
import SignetVerify

/// Computes every digest the verifier may need in one pass over an artifact.
struct ArtifactHasher {
    private var sha256 = SHA256()
    private var sha384 = SHA384()
    private var sha512 = SHA512()

    mutating func update(_ data: Data) {
        sha256.update(data: data)
        sha384.update(data: data)
        sha512.update(data: data)
    }

    func finalize() -> Artifact {
        Artifact(digests: [
            .sha256: Array(sha256.finalize()),
            .sha384: Array(sha384.finalize()),
            .sha512: Array(sha512.finalize()),
        ])
    }
}
