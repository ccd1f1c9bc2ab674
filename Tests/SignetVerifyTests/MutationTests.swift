import SignetCore
import SignetVerify
import SignetVirtualPlatform
import Testing
import X509

@Suite("Mutations of valid bundles never crash, never hang, never verify", .timeLimit(.minutes(5)))
struct MutationTests {
    static func seeds() async throws -> [(String, SigstoreBundle)] {
        let platform = Fixture.platform
        return await [
            ("v1 message", try platform.signBlob(Fixture.artifact)),
            ("v2 message with timestamp", try platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())),
            ("v1 DSSE", try platform.attest(Fixture.statement())),
            ("v2 DSSE with timestamp", try platform.attest(Fixture.statement(), options: .v2WithTimestamp())),
        ]
    }

    /// Corrupts the serialized JSON: substitute, delete, insert, truncate, duplicate or swap.
    static func mutateBytes(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        var output = bytes
        let position = Int.random(in: 0..<output.count, using: &random)
        switch Int.random(in: 0..<6, using: &random) {
        case 0: output[position] = UInt8.random(in: 0...255, using: &random)
        case 1: output.remove(at: position)
        case 2: output.insert(UInt8.random(in: 0x21...0x7E, using: &random), at: position)
        case 3: output = Array(output.prefix(position))
        case 4:
            let end = min(output.count, position + Int.random(in: 1...64, using: &random))
            output.insert(contentsOf: output[position..<end], at: end)
        default:
            let other = Int.random(in: 0..<output.count, using: &random)
            output.swapAt(position, other)
        }
        return output
    }

    /// Corrupts one value deep inside: a bit of decoded bytes (certificates, signatures, DER
    /// timestamps, bodies, proofs) or a character of a plain string (checkpoints, names).
    static func mutateField(_ value: JSONValue, _ random: inout SeededGenerator) -> JSONValue {
        var leaves = 0
        func count(_ value: JSONValue) {
            switch value {
            case .string: leaves += 1
            case .array(let elements): for element in elements { count(element) }
            case .object(let object): for member in object.members { count(member.value) }
            default: break
            }
        }
        count(value)
        var target = Int.random(in: 0..<max(leaves, 1), using: &random)
        func rewrite(_ value: JSONValue, _ random: inout SeededGenerator) -> JSONValue {
            switch value {
            case .string(let text):
                defer { target -= 1 }
                guard target == 0 else { return value }
                if var bytes = Base64.decode(text), !bytes.isEmpty, text.count >= 8 {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                    return .string(Base64.encode(bytes))
                }
                var scalars = Array(text.unicodeScalars)
                guard !scalars.isEmpty else { return .string("x") }
                let index = Int.random(in: 0..<scalars.count, using: &random)
                scalars[index] = Unicode.Scalar(UInt8.random(in: 0x21...0x7E, using: &random))
                return .string(String(String.UnicodeScalarView(scalars)))
            case .array(let elements):
                return .array(elements.map { rewrite($0, &random) })
            case .object(let object):
                return .object(JSONObject(object.members.map { ($0.name, rewrite($0.value, &random)) }))
            default:
                return value
            }
        }
        return rewrite(value, &random)
    }

    /// The bundle with what no signature covers blanked: the key names on checkpoint signature
    /// lines, which an ECDSA note key ID does not bind (C2SP signed-note; Rekor v1 logs name
    /// their key after their host). A mutation that only changes these corrupts nothing verified.
    static func signedContent(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text) where text.contains("\n\n\u{2014} "):
            let parts = text.components(separatedBy: "\n\n")
            guard parts.count == 2 else { return value }
            let lines = parts[1].split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                let fields = line.split(separator: " ", omittingEmptySubsequences: false)
                return fields.count == 3 ? "\(fields[0]) - \(fields[2])" : String(line)
            }
            return .string(parts[0] + "\n\n" + lines.joined(separator: "\n"))
        case .array(let elements): return .array(elements.map(signedContent))
        case .object(let object): return .object(JSONObject(object.members.map { ($0.name, signedContent($0.value)) }))
        default: return value
        }
    }

    @Test("thousands of corrupted bundles are refused or fail verification")
    func mutatedBundles() async throws {
        var random = SeededGenerator(state: 0x5167_4E45_5400_0001)
        var parsed = 0
        var refused = 0
        var unchanged = 0
        for (name, seed) in try await Self.seeds() {
            let original = seed.json
            let bytes = original.compactBytes()
            for round in 0..<1_000 {
                let mutated: [UInt8] =
                    round % 2 == 0
                    ? Self.mutateBytes(bytes, &random)
                    : Self.mutateField(original, &random).compactBytes()
                let bundle: SigstoreBundle
                do {
                    let value = try JSONParser().parse(mutated)
                    guard Self.signedContent(value) != Self.signedContent(original) else {
                        unchanged += 1
                        continue
                    }
                    bundle = try SigstoreBundle(json: value)
                    // A mutation the parser reads back as the same bundle (a dropped base64
                    // padding, which ProtoJSON allows) changes nothing.
                    guard Self.signedContent(bundle.json) != Self.signedContent(original) else {
                        unchanged += 1
                        continue
                    }
                } catch {
                    refused += 1
                    continue
                }
                parsed += 1
                let report = Fixture.verify(bundle)
                if report.isVerified {
                    Issue.record("\(name), round \(round): a corrupted bundle verified: \(String(decoding: mutated, as: UTF8.self))")
                }
            }
        }
        // Both kinds of mutation must have been exercised: ones the parser refuses and ones
        // that parse and reach the verifier.
        #expect(refused > 500 && parsed > 1_500, "refused \(refused), parsed \(parsed), unchanged \(unchanged)")
    }
}

@Suite("Mutations of DER, PEM and note inputs never crash the parsers", .timeLimit(.minutes(5)))
struct ParserMutationTests {
    @Test("corrupted timestamps, certificates and checkpoints throw or parse, never crash")
    func parsers() async throws {
        var random = SeededGenerator(state: 0x5167_4E45_5400_0002)
        let bundle = try await Fixture.platform.signBlob(Fixture.artifact, options: .v2WithTimestamp())
        let timestamp = bundle.rfc3161Timestamps[0]
        let certificate = bundle.signer.leafCertificate!
        let checkpoint = Array(bundle.tlogEntries[0].inclusionProof!.checkpoint!.utf8)
        let pem = Array(PEM.encode(certificate, label: "CERTIFICATE").utf8)
        // Per parser: how many corrupted inputs it accepted and refused. Both must happen, or
        // the corruptions did not reach the parser's interesting paths.
        var outcomes: [String: (accepted: Int, refused: Int)] = [:]
        func count(_ parser: String, _ accepted: Bool) {
            var outcome = outcomes[parser] ?? (0, 0)
            if accepted { outcome.accepted += 1 } else { outcome.refused += 1 }
            outcomes[parser] = outcome
        }
        for _ in 0..<2_000 {
            let response = MutationTests.mutateBytes(timestamp, &random)
            count("timestamp", (try? TimeStampToken.fromResponse(response))?.token != nil)
            let leaf = MutationTests.mutateBytes(certificate, &random)
            count("certificate", (try? SignedCertificateTimestamp.embedded(in: try Certificate(derEncoded: leaf))) != nil)
            count("spki", (try? VerificationKey(spki: MutationTests.mutateBytes(Array(Fixture.platform.ctKey.publicKey.derRepresentation), &random))) != nil)
            let note = String(decoding: MutationTests.mutateBytes(checkpoint, &random), as: UTF8.self)
            count("checkpoint", (try? SignedNote(parsing: note)).flatMap { try? Checkpoint(text: $0.text) } != nil)
            count("pem", (try? PEM.decodeAll(String(decoding: MutationTests.mutateBytes(pem, &random), as: UTF8.self), context: "pem")) != nil)
        }
        for (parser, outcome) in outcomes {
            #expect(outcome.accepted > 0 && outcome.refused > 0, "\(parser): accepted \(outcome.accepted), refused \(outcome.refused)")
        }
    }
}
