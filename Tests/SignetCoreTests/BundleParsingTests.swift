import SignetCore
import SignetVirtualPlatform
import Testing

@Suite("Sigstore bundle parsing and writing")
struct BundleParsingTests {
    static let platform = try! VirtualPlatform()
    static let bundle = try! Blocking.run { try await platform.signBlob(Array("artifact".utf8), options: .v2WithTimestamp()) }

    /// The bundle's JSON with one edit applied.
    static func edited(_ edit: (inout JSONObject) -> Void) -> [UInt8] {
        guard case .object(var object) = bundle.json else {
            Issue.record("expected the bundle's JSON to be an object, found \(bundle.json.typeName)")
            return []
        }
        edit(&object)
        return JSONValue.object(object).compactBytes()
    }

    static func expectRefused(_ bytes: [UInt8], _ code: FormatError.Code, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) { try SigstoreBundle(jsonBytes: bytes) } throws: { ($0 as? FormatError)?.code == code }
    }

    @Test("a written bundle reads back equal, with the v0.3 media type and int64 strings")
    func roundTrip() throws {
        let bytes = Self.bundle.json.compactBytes()
        #expect(try SigstoreBundle(jsonBytes: bytes) == Self.bundle)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json""#))
        #expect(text.contains(#""logIndex":""#))
    }

    @Test("every accepted media type maps to its version; others are refused")
    func mediaTypes() {
        #expect(SigstoreBundle.version(ofMediaType: "application/vnd.dev.sigstore.bundle+json;version=0.1") == .v0_1)
        #expect(SigstoreBundle.version(ofMediaType: "application/vnd.dev.sigstore.bundle+json;version=0.2") == .v0_2)
        #expect(SigstoreBundle.version(ofMediaType: "application/vnd.dev.sigstore.bundle+json;version=0.3") == .v0_3)
        #expect(SigstoreBundle.version(ofMediaType: "application/vnd.dev.sigstore.bundle.v0.3+json") == .v0_3)
        Self.expectRefused(Self.edited { $0["mediaType"] = .string("application/vnd.dev.sigstore.bundle.v0.4+json") }, .unsupported)
    }

    @Test("snake_case member names are read like camelCase ones")
    func snakeCase() throws {
        let bytes = Self.edited { object in
            let material = object["verificationMaterial"]
            object["verificationMaterial"] = nil
            object["verification_material"] = material
        }
        #expect(try SigstoreBundle(jsonBytes: bytes) == Self.bundle)
    }

    @Test("unknown members, both spellings at once, and misplaced material are refused")
    func refusals() {
        Self.expectRefused(Self.edited { $0["extra"] = .bool(true) }, .unknownField)
        Self.expectRefused(Self.edited { $0["verification_material"] = $0["verificationMaterial"] }, .invalidValue)
        Self.expectRefused(Self.edited { $0["dsseEnvelope"] = .object(JSONObject()) }, .invalidValue)
        Self.expectRefused(Self.edited { $0["messageSignature"] = nil }, .invalidValue)
        Self.expectRefused(
            Self.edited { object in
                guard case .object(var material)? = object["verificationMaterial"], let certificate = material["certificate"] else {
                    Issue.record("expected verificationMaterial.certificate in the bundle")
                    return
                }
                material["certificate"] = nil
                material["x509CertificateChain"] = .object(JSONObject([("certificates", .array([certificate]))]))
                object["verificationMaterial"] = .object(material)
            }, .invalidValue)
    }

    @Test("negative indices and non-string or malformed int64 values are refused")
    func integers() {
        func withLogIndex(_ value: JSONValue) -> [UInt8] {
            Self.edited { object in
                guard case .object(var material)? = object["verificationMaterial"], case .array(var entries)? = material["tlogEntries"],
                    case .object(var entry)? = entries.first
                else {
                    Issue.record("expected verificationMaterial.tlogEntries[0] in the bundle")
                    return
                }
                entry["logIndex"] = value
                entries[0] = .object(entry)
                material["tlogEntries"] = .array(entries)
                object["verificationMaterial"] = .object(material)
            }
        }
        Self.expectRefused(withLogIndex(.string("-1")), .invalidValue)
        Self.expectRefused(withLogIndex(.string("1e3")), .invalidValue)
        Self.expectRefused(withLogIndex(.bool(true)), .invalidValue)
        Self.expectRefused(withLogIndex(.string("18446744073709551616")), .invalidValue)
    }

    @Test("a DSSE envelope must carry exactly one signature")
    func dsseSignatures() async throws {
        let statement = InTotoStatement(
            subjects: [.init(name: "a", digest: ["sha256": String(repeating: "0", count: 64)])], predicateType: "https://example.com/p", predicate: nil)
        var envelopeBundle = try await Self.platform.attest(statement)
        var envelope = try #require(envelopeBundle.content.dsseEnvelopeValue)
        envelope.signatures.append(envelope.signatures[0])
        envelopeBundle.content = .dsseEnvelope(envelope)
        Self.expectRefused(envelopeBundle.json.compactBytes(), .invalidValue)
    }

    @Test("trusted roots need validFor.start on every key and refuse unknown media types")
    func trustedRoots() throws {
        let root = try Self.platform.trustedRoot()
        #expect(try TrustedRoot(jsonBytes: root.json.compactBytes()) == root)
        guard case .object(var object) = root.json, case .array(var logs)? = object["tlogs"], case .object(var log) = logs[0],
            case .object(var key)? = log["publicKey"]
        else {
            Issue.record("unexpected trusted root shape")
            return
        }
        key["validFor"] = .object(JSONObject([("end", .string("2030-01-01T00:00:00Z"))]))
        log["publicKey"] = .object(key)
        logs[0] = .object(log)
        object["tlogs"] = .array(logs)
        #expect { try TrustedRoot(jsonBytes: JSONValue.object(object).compactBytes()) } throws: { ($0 as? FormatError)?.code == .missingField }
        object["mediaType"] = .string("application/vnd.dev.sigstore.trustedroot+json;version=0.9")
        #expect { try TrustedRoot(jsonBytes: JSONValue.object(object).compactBytes()) } throws: { ($0 as? FormatError)?.code == .unsupported }
    }

    static func object(_ value: JSONValue?) -> JSONObject? {
        if case .object(let object)? = value { return object }
        return nil
    }

    static func array(_ value: JSONValue?) -> [JSONValue]? {
        if case .array(let elements)? = value { return elements }
        return nil
    }

    @Test("a trusted root entry without validFor loads as unbounded, one without end as open; an empty validFor is refused")
    func optionalValidity() throws {
        var root = try Self.platform.trustedRoot()
        #expect(root.tlogs[0].validFor.end == nil)
        for index in root.tlogs.indices { root.tlogs[index].validFor = .unbounded }
        for index in root.ctlogs.indices { root.ctlogs[index].validFor = .unbounded }
        for index in root.certificateAuthorities.indices { root.certificateAuthorities[index].validFor = .unbounded }
        for index in root.timestampAuthorities.indices { root.timestampAuthorities[index].validFor = .unbounded }
        let text = String(decoding: root.json.compactBytes(), as: UTF8.self)
        #expect(!text.contains("validFor"), "an unbounded range is written without validFor")
        let loaded = try TrustedRoot(jsonBytes: root.json.compactBytes())
        #expect(loaded == root)
        let ranges = (loaded.tlogs + loaded.ctlogs).map(\.validFor) + (loaded.certificateAuthorities + loaded.timestampAuthorities).map(\.validFor)
        #expect(ranges.count == 5)
        for range in ranges {
            #expect(range == .unbounded)
            #expect(range.contains(Timestamp(seconds: .min)) && range.contains(Timestamp(seconds: .max)))
        }
        // An end without a start reads back as the same admitted times.
        root.tlogs[0].validFor = TimeRange(start: nil, end: Timestamp(seconds: 100))
        let endOnly = try TrustedRoot(jsonBytes: root.json.compactBytes()).tlogs[0].validFor
        #expect(
            endOnly.contains(Timestamp(seconds: -62_135_596_800)) && endOnly.contains(Timestamp(seconds: 100)) && !endOnly.contains(Timestamp(seconds: 101)))

        var object = try #require(Self.object(root.json))
        var authorities = try #require(Self.array(object["certificateAuthorities"]))
        var authority = try #require(Self.object(authorities.first))
        authority["validFor"] = .object(JSONObject())
        authorities[0] = .object(authority)
        object["certificateAuthorities"] = .array(authorities)
        #expect { try TrustedRoot(jsonBytes: JSONValue.object(object).compactBytes()) } throws: { ($0 as? FormatError)?.code == .missingField }

        let service = SigningConfig.Service(url: "https://ca.example", majorAPIVersion: 1, validFor: .unbounded, operator: "example")
        let config = SigningConfig(
            caURLs: [service], oidcURLs: [], rekorTlogURLs: [service], rekorTlogConfig: .init(selector: "ANY"), tsaURLs: [], tsaConfig: .init(selector: "ALL"))
        #expect(try SigningConfig(json: config.json, path: "signingConfig") == config)
    }
}
