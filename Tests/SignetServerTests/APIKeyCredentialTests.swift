import SignetServer
import Testing

@Suite("API keys as their holders see them")
struct APIKeyCredentialTests {
    @Test("API keys: the text form parses back, only the right secret matches, other shapes are refused")
    func apiKeys() {
        let key = APIKeyCredential.generate()
        #expect(key.text.count == 67 && key.text.hasPrefix("signet_") && APIKeyCredential.isAPIKey(key.text))
        let parsed = APIKeyCredential(parsing: key.text)
        #expect(parsed?.id == key.id && parsed?.matches(key.secretHash) == true)
        #expect(APIKeyCredential.generate().matches(key.secretHash) == false)
        var altered = Array(key.text)
        altered[40] = altered[40] == "A" ? "B" : "A"
        #expect(APIKeyCredential(parsing: String(altered))?.matches(key.secretHash) == false)
        for bad in [
            "", "signet_", "signet_0123456789ABCDEF_" + String(repeating: "A", count: 43), "signet_0123456789abcdef_" + String(repeating: "A", count: 42),
            "signet_0123456789abcdef-" + String(repeating: "A", count: 43), "signet_0123456789abcdef_" + String(repeating: "=", count: 43),
        ] {
            #expect(APIKeyCredential(parsing: bad) == nil, "\(bad)")
        }
        #expect(!APIKeyCredential.isAPIKey("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln"))
        #expect(APIKeyCredential.serviceIdentity(keyID: key.id, serverURL: "https://signet.example/") == "https://signet.example/api-keys/\(key.id)")
    }
}
