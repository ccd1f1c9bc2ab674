import SignetCore
import Testing

@Suite("Base64url (RFC 4648 §5), as JOSE uses it")
struct Base64URLTests {
    @Test("round trips without padding, uses - and _, and refuses padding and the standard alphabet's + and /")
    func roundTrip() {
        // RFC 4648 §10's vectors, unpadded.
        for (plain, encoded) in [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")] {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64URL.decode(encoded) == Array(plain.utf8))
        }
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF]
        #expect(Base64URL.encode(bytes) == "-_-_")
        #expect(Base64URL.decode("-_-_") == bytes)
        for invalid in ["+/+/", "Zg==", "Zm9v!", "Z"] {
            #expect(Base64URL.decode(invalid) == nil, "\(invalid)")
        }
    }
}
