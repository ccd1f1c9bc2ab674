import Foundation
import SignetCore
import SignetVirtualPlatform
import Testing

@Suite("Hostile inputs: empty, truncated and out-of-range values throw, never trap")
struct HostileInputTests {
    static let platform = try! VirtualPlatform()
    static let root = try! platform.trustedRoot()
    static let bundle = try! Blocking.run { try await platform.signBlob(Array("artifact".utf8), options: .v2WithTimestamp()) }

    /// Every strict prefix of `bytes`, the empty one included.
    static func prefixes(_ bytes: [UInt8]) -> [[UInt8]] {
        (0..<bytes.count).map { Array(bytes.prefix($0)) }
    }

    /// A DER TLV with a short-form length (content under 128 bytes).
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag, UInt8(content.count)] + content
    }

    @Test("an empty SEQUENCE (MAA=), an algorithm without a key, a truncated point and every truncation of a key: FormatError")
    func truncatedKeys() throws {
        let emptySequence = try #require(Base64.decode("MAA="))
        #expect(emptySequence == [0x30, 0x00])
        #expect(throws: FormatError.self) { try VerificationKey(spki: emptySequence) }
        #expect(throws: FormatError.self) { try VerificationKey(pem: "-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n") }
        #expect(throws: FormatError.self) { try VerificationKey(spki: Self.tlv(0x30, Self.tlv(0x30, []))) }
        #expect(throws: FormatError.self) { try VerificationKey(spki: Self.tlv(0x30, Self.tlv(0x30, Self.tlv(0x05, [])))) }
        let keys = (Self.root.tlogs + Self.root.ctlogs).map(\.publicKey)
        #expect(keys.count == 3)
        for spki in keys {
            _ = try VerificationKey(spki: spki)
            for prefix in Self.prefixes(spki) {
                #expect(throws: FormatError.self, "\(prefix.count) of \(spki.count) bytes") { try VerificationKey(spki: prefix) }
            }
            // The SEQUENCE with only its AlgorithmIdentifier, then with a key cut short inside
            // a well-formed BIT STRING.
            let algorithm = Array(spki[2..<(4 + Int(spki[3]))])
            #expect(throws: FormatError.self) { try VerificationKey(spki: Self.tlv(0x30, algorithm)) }
            let key = Array(spki[(4 + Int(spki[3]) + 3)...])
            for length in 0..<key.count {
                let truncated = Self.tlv(0x30, algorithm + Self.tlv(0x03, [0x00] + key.prefix(length)))
                #expect(throws: FormatError.self, "a \(length)-byte key") { try VerificationKey(spki: truncated) }
            }
        }
    }

    @Test("every truncation of a certificate is refused by the SCT splicer")
    func truncatedCertificates() throws {
        let leaf = try #require(Self.bundle.signer.leafCertificate)
        for der in [leaf] + Self.root.certificateAuthorities[0].certificateChain + Self.root.timestampAuthorities[0].certificateChain {
            _ = try SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, fromCertificateDER: der)
            for prefix in Self.prefixes(der) {
                #expect(throws: FormatError.self, "\(prefix.count) of \(der.count) bytes") {
                    try SignedCertificateTimestamp.tbsRemovingExtension(SignedCertificateTimestamp.extensionOID, fromCertificateDER: prefix)
                }
            }
        }
    }

    @Test("every truncation of an RFC 3161 response and its token throws FormatError; corrupted bytes never trap")
    func truncatedTimestamps() throws {
        let response = try #require(Self.bundle.rfc3161Timestamps.first)
        let token = try #require(try TimeStampToken.fromResponse(response).token)
        for prefix in Self.prefixes(response) {
            #expect(throws: FormatError.self, "\(prefix.count) of \(response.count) bytes") { try TimeStampToken.fromResponse(prefix) }
        }
        let contentInfo = try token.signedData.contentInfoDER()
        _ = try TimeStampToken(contentInfoDER: contentInfo)
        for prefix in Self.prefixes(contentInfo) {
            #expect(throws: FormatError.self, "\(prefix.count) of \(contentInfo.count) bytes") { try TimeStampToken(contentInfoDER: prefix) }
        }
        for index in response.indices {
            for replacement in [0x00, 0xFF, response[index] ^ 0x80] {
                var corrupted = response
                corrupted[index] = replacement
                _ = try? TimeStampToken.fromResponse(corrupted)
            }
        }
    }

    @Test("every truncation of a checkpoint throws or parses; a tree size beyond Int64 is a syntax error")
    func truncatedCheckpoints() throws {
        let text = try #require(Self.bundle.tlogEntries.first?.inclusionProof?.checkpoint)
        let note = try SignedNote(parsing: text)
        let checkpoint = try Checkpoint(text: note.text)
        for prefix in Self.prefixes(Array(text.utf8)) {
            let truncated = String(decoding: prefix, as: UTF8.self)
            if let parsed = try? SignedNote(parsing: truncated) { _ = try? Checkpoint(text: parsed.text) }
            _ = try? Checkpoint(text: truncated)
        }
        for size in ["9223372036854775808", "99999999999999999999", "-1"] {
            let edited = "\(checkpoint.origin)\n\(size)\n\(Base64.encode(checkpoint.rootHash))\n"
            #expect(throws: FormatError.self, "size \(size)") { try Checkpoint(text: edited) }
        }
    }

    @Test("Merkle proofs at the Int64 edges are refused, not overflowed")
    func merkleEdges() {
        let leaf = Merkle.leafHash([1])
        let proof = [[UInt8]](repeating: leaf, count: 63)
        for (index, size) in [(Int64.max - 1, Int64.max), (0, Int64.max), (Int64.max, Int64.max), (-1, 1), (0, Int64.min), (Int64.min, 0)] {
            #expect(throws: MerkleProofError.self, "index \(index) size \(size)") {
                try Merkle.verifyInclusion(index: index, size: size, leafHash: leaf, proof: proof, rootHash: leaf)
            }
        }
        for (old, new) in [(Int64.max - 1, Int64.max), (1, Int64.max), (Int64.max, Int64.min), (-1, 0), (Int64.min, Int64.max)] {
            #expect(throws: MerkleProofError.self, "old \(old) new \(new)") {
                try Merkle.verifyConsistency(oldSize: old, newSize: new, oldRoot: leaf, newRoot: leaf, proof: proof)
            }
        }
    }

    @Test("times at the Int64 edges format without trapping; dates beyond them saturate")
    func extremeTimes() {
        #expect(Timestamp(seconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(seconds: -1).rfc3339 == "1969-12-31T23:59:59Z")
        #expect(Timestamp(seconds: -62_135_596_800).rfc3339 == "0001-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 253_402_300_799).rfc3339 == "9999-12-31T23:59:59Z")
        let latest = Timestamp(seconds: .max).utcComponents
        #expect(latest.year == 292_277_026_596 && latest.month == 12 && latest.day == 4)
        #expect(latest.hours == 15 && latest.minutes == 30 && latest.seconds == 7)
        let earliest = Timestamp(seconds: .min).utcComponents
        #expect(earliest.year == -292_277_022_657 && earliest.month == 1 && earliest.day == 27)
        #expect(earliest.hours == 8 && earliest.minutes == 29 && earliest.seconds == 52)
        for seconds in [Int64.min, Int64.min + 1, Int64.min + 86_399, -86_401, Int64.max - 86_399, Int64.max] {
            #expect(!Timestamp(seconds: seconds, nanoseconds: 999_999_999).rfc3339.isEmpty)
        }
        #expect(Timestamp(Date(timeIntervalSince1970: 1e300)).seconds == .max)
        #expect(Timestamp(Date(timeIntervalSince1970: -1e300)).seconds == .min)
        #expect(Timestamp(Date(timeIntervalSince1970: .infinity)).seconds == .max)
        #expect(Timestamp(Date(timeIntervalSince1970: -.infinity)).seconds == .min)
        #expect(Timestamp(Date(timeIntervalSince1970: .nan)).seconds == 0)
        #expect(Timestamp(Date(timeIntervalSince1970: 1.5)) == Timestamp(seconds: 1, nanoseconds: 500_000_000))
        #expect(Timestamp(Date(timeIntervalSince1970: -1.5)) == Timestamp(seconds: -2, nanoseconds: 500_000_000))
    }

    @Test("canonical JSON refuses integers beyond ±(2^53-1), Int64.min included")
    func canonicalIntegers() throws {
        for literal in ["-9223372036854775808", "9223372036854775807", "9223372036854775808", "-9007199254740992", "1e300"] {
            #expect(throws: FormatError.self, "\(literal)") { try JSONValue.number(literal).canonicalBytes() }
        }
        #expect(try JSONValue.number("-9007199254740991").canonicalBytes() == Array("-9007199254740991".utf8))
    }
}
