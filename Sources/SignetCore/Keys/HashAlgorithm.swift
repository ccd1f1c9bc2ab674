import Crypto
import Foundation

/// The hash algorithms of Sigstore's `HashAlgorithm` enum that Signet supports
/// (sigstore_common.proto).
public enum HashAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha256 = "SHA2_256"
    case sha384 = "SHA2_384"
    case sha512 = "SHA2_512"

    /// The digest length in bytes.
    public var byteCount: Int {
        switch self {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The lower-case name Rekor v1 and in-toto use (`sha256`).
    public var rekorName: String {
        switch self {
        case .sha256: "sha256"
        case .sha384: "sha384"
        case .sha512: "sha512"
        }
    }

    public init?(rekorName: String) {
        guard let match = Self.allCases.first(where: { $0.rekorName == rekorName }) else { return nil }
        self = match
    }

    public func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let input = Array(bytes)
        switch self {
        case .sha256: return Array(SHA256.hash(data: input))
        case .sha384: return Array(SHA384.hash(data: input))
        case .sha512: return Array(SHA512.hash(data: input))
        }
    }
}

/// SHA-256 of `bytes`.
@inlinable
public func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] {
    Array(SHA256.hash(data: Array(bytes)))
}

/// A digest computed elsewhere (a hashedrekord's `data.hash`, a CMS message digest), so that an
/// ECDSA signature over it can be made or checked without the message.
public struct PrecomputedDigest: Digest {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static var byteCount: Int { 64 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }

    public var description: String { Hex.encode(bytes) }
}

/// `count` bytes from the system's cryptographically secure generator.
public func secureRandomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
}
