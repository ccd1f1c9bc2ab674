import SignetCore
import Testing

@Suite("JSON parsing and RFC 8785 output")
struct JSONTests {
    @Test("valid documents parse to the expected values")
    func parses() throws {
        let value = try JSONParser().parse(Array(#" {"a": [1, -2.5e3, true, false, null], "b": "x\u00e9\ud83d\ude00\n\"", "c": {}} "#.utf8))
        guard case .object(let object) = value else {
            Issue.record("expected an object")
            return
        }
        #expect(object.names == ["a", "b", "c"])
        #expect(object["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
        #expect(object["b"] == .string("xé😀\n\""))
    }

    @Test(
        "invalid documents are refused with a reason",
        arguments: [
            "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "\"\u{01}\"",
            "{\"a\":1,\"a\":2}", "[1] 2", "tru", "nul", "{1:2}", "\"abc", "1e", "[\"\\u12\"]",
        ])
    func refuses(text: String) {
        #expect(throws: FormatError.self) { try JSONParser().parse(Array(text.utf8)) }
    }

    @Test("depth and size are bounded")
    func bounds() {
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect { try JSONParser().parse(Array(deep.utf8)) } throws: { ($0 as? FormatError)?.code == .tooDeep }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser().parse(Array(fine.utf8)) }
        #expect { try JSONParser(maxBytes: 10).parse(Array("[1,2,3,4,5,6]".utf8)) } throws: { ($0 as? FormatError)?.code == .tooLarge }
    }

    @Test("canonical form sorts members by UTF-16 and escapes minimally (RFC 8785 §3.2)")
    func canonical() throws {
        let value = try JSONParser().parse(Array(#"{"b":1,"a":{"z":"\u0007\t/é","y":[true,null]},"\u00e9":0,"A":-5}"#.utf8))
        #expect(String(decoding: try value.canonicalBytes(), as: UTF8.self) == #"{"A":-5,"a":{"y":[true,null],"z":"\u0007\t/é"},"b":1,"é":0}"#)
        #expect(throws: FormatError.self) { try JSONValue.number("1.5").canonicalBytes() }
        #expect(throws: FormatError.self) { try JSONValue.number("9007199254740992").canonicalBytes() }
    }

    @Test("protobuf-JSON reader: camel and snake names, int64 strings, unknown members refused")
    func protoJSON() throws {
        var object = try ProtoJSONObject(try JSONParser().parse(Array(#"{"log_index":"42","treeSize":7,"rootHash":"AAE="}"#.utf8)), path: "x")
        #expect(try object.int64("logIndex") == 42)
        #expect(try object.int64("treeSize") == 7)
        #expect(try object.bytes("rootHash") == [0, 1])
        try object.finish()
        var extra = try ProtoJSONObject(try JSONParser().parse(Array(#"{"a":"1","zzz":1}"#.utf8)), path: "x")
        _ = try extra.string("a")
        #expect { try extra.finish() } throws: { ($0 as? FormatError)?.code == .unknownField }
        for bad in [#"{"n":"+1"}"#, #"{"n":"01"}"#, #"{"n":"1e3"}"#, #"{"n":"99999999999999999999"}"#, #"{"n":" 1"}"#] {
            var reader = try ProtoJSONObject(try JSONParser().parse(Array(bad.utf8)), path: "x")
            #expect(throws: FormatError.self, "\(bad)") { try reader.int64("n") }
        }
    }
}

@Suite("Encodings")
struct EncodingTests {
    @Test("base64 round-trips and refuses malformed text")
    func base64() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
        #expect(Base64.decode("TWFu") == Array("Man".utf8))
        #expect(Base64.decode("TWE") == Array("Ma".utf8))
        #expect(Base64.decode("TQ") == Array("M".utf8))
        #expect(Base64.decode("TQ==") == Array("M".utf8))
        for bad in ["INVALID!!!BASE64!!!ENCODING====", "TW=u", "T", "TWF=", "TW-_", "TWE===", "TR", "TR==", "TWFuTWE\u{0}", "TWFu\u{FF}AAA"] {
            #expect(Base64.decode(bad) == nil, "\(bad)")
        }
    }

    @Test("RFC 3339 timestamps parse exactly and print back")
    func timestamps() {
        #expect(Timestamp(rfc3339: "1970-01-01T00:00:00Z") == Timestamp(seconds: 0))
        #expect(Timestamp(rfc3339: "2022-12-31T23:59:59.999Z") == Timestamp(seconds: 1_672_531_199, nanoseconds: 999_000_000))
        #expect(Timestamp(rfc3339: "2026-01-15T13:00:00+01:00") == Timestamp(seconds: 1_768_478_400))
        #expect(Timestamp(seconds: 1_768_478_400).rfc3339 == "2026-01-15T12:00:00Z")
        for bad in ["2026-02-30T00:00:00Z", "2026-01-15 12:00:00Z", "2026-01-15T12:00:00", "2026-13-01T00:00:00Z", "x"] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
        let range = TimeRange(start: Timestamp(seconds: 10), end: Timestamp(seconds: 20))
        #expect(range.contains(Timestamp(seconds: 10)) && range.contains(Timestamp(seconds: 20)))
        #expect(!range.contains(Timestamp(seconds: 20, nanoseconds: 1)) && !range.contains(Timestamp(seconds: 9)))
    }

    @Test("DSSE pre-authentication encoding")
    func pae() {
        #expect(
            DSSEEnvelope.preAuthenticationEncoding(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
                == Array("DSSEv1 29 http://example.com/HelloWorld 11 hello world".utf8))
    }

    @Test("PEM: canonical 64-column output, lax input, refusals")
    func pem() throws {
        let der = (0..<100).map { UInt8($0) }
        let text = PEM.encode(der, label: "CERTIFICATE")
        #expect(text.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })
        #expect(try PEM.decodeAll(text, context: "t").map(\.der) == [der])
        let oneLine = "-----BEGIN CERTIFICATE-----\n\(Base64.encode(der))\n-----END CERTIFICATE-----\n"
        #expect(try PEM.decodeAll(oneLine, context: "t").map(\.der) == [der])
        for bad in ["", "garbage", "-----BEGIN X-----\nAAAA\n", "-----BEGIN X-----\n!!\n-----END X-----\n"] {
            #expect(throws: FormatError.self, "\(bad)") { try PEM.decodeAll(bad, context: "t") }
        }
    }
}

@Suite("Rekor v1 signed entry timestamp payload")
struct SignedEntryTimestampTests {
    @Test("the directly written payload is the RFC 8785 form of the four members")
    func matchesCanonicalJSON() throws {
        let body = Array(#"{"apiVersion":"0.0.1","kind":"hashedrekord"}"#.utf8)
        let logID = sha256(Array("log".utf8))
        let expected = try JSONValue.object(
            JSONObject([
                ("logIndex", .integer(25_915_956)), ("logID", .string(Hex.encode(logID))),
                ("integratedTime", .integer(1_712_085_549)), ("body", .string(Base64.encode(body))),
            ])
        ).canonicalBytes()
        #expect(SignedEntryTimestamp.payload(body: body, integratedTime: 1_712_085_549, logID: logID, logIndex: 25_915_956) == expected)
    }
}
