import CPKCS11
import Foundation
import SignetCore
import SignetVirtualPlatform
import Testing

@testable import SignetPKCS11

@Suite("PKCS #11 URIs (RFC 7512)")
struct PKCS11URITests {
    @Test("path and query attributes, percent-decoded; the PIN value never shown")
    func parses() throws {
        let uri = try PKCS11URI("pkcs11:token=Signet%20CA;object=ca-key;id=%01%FF;type=private?module-path=/usr/lib/m.so&pin-value=12%334")
        #expect(uri.token == "Signet CA" && uri.object == "ca-key" && uri.id == [0x01, 0xFF] && uri.type == "private")
        #expect(uri.modulePath == "/usr/lib/m.so" && uri.pinValue == "1234")
        #expect(uri.description == "pkcs11:token=Signet%20CA;object=ca-key;id=%01%FF;type=private?module-path=/usr/lib/m.so&pin-value=***")
        #expect(try PKCS11URI("pkcs11:slot-id=3;serial=abc").slotID == 3)
    }

    @Test(
        "malformed or unknown attributes are refused, with what was expected",
        arguments: [
            ("pkcs11:token=a;token=b", "appears twice"), ("pkcs11:tokn=a", "expected path attributes"), ("pkcs11:token=a?pin=1", "expected query attributes"),
            ("pkcs11:token=%G1", "malformed"), ("pkcs11:token=%97", "UTF-8"), ("pkcs11:token=%4", "malformed"), ("pkcs:token=a", "starting with"),
            ("pkcs11:token", "NAME=VALUE"),
            ("pkcs11:slot-id=x", "decimal"), ("pkcs11:type=key", "expected type"), ("pkcs11:token=a?pin-value=1&pin-source=/p", "not both"),
            ("pkcs11:token=" + String(repeating: "a", count: 5000), "at most 4096"),
        ])
    func refuses(text: String, expected: String) {
        #expect {
            try PKCS11URI(text)
        } throws: { error in
            guard let error = error as? PKCS11Error else { return false }
            return error.code == .uri && error.reason.contains(expected)
        }
    }
}

// Serialized: SoftHSM2's file store can fail (CKR_GENERAL_ERROR) when two sessions create token
// objects in one token at once.
@Suite("PKCS #11 signer over SoftHSM2", .serialized)
struct PKCS11SignerTests {
    static func token(_ label: String = "signet-unit", pin: String? = TestSoftHSM.pin) throws -> PKCS11Token {
        let softHSM = try TestSoftHSM.shared()
        return try PKCS11Token(try PKCS11URI(softHSM.uri(token: label, pin: pin)), environment: [:])
    }

    @Test(
        "keys generated in the token sign P-256, P-384 and Ed25519; the signatures verify; a reopened key is the same",
        arguments: [
            SigningAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519,
        ])
    func generateAndSign(algorithm: SigningAlgorithm) async throws {
        let token = try Self.token()
        let label = "unit-\(algorithm.rawValue)-\(UUID().uuidString.prefix(8))"
        let signer = try PKCS11Signer.generate(in: token, label: label, algorithm: algorithm)
        #expect(signer.algorithm == algorithm)
        let message = Array("a release to sign".utf8)
        let signature = try await signer.sign(message)
        let key = try VerificationKey(spki: signer.publicKeySPKI)
        #expect(key.isValidSignature(signature, message: message, hash: algorithm.hash))
        #expect(!key.isValidSignature(signature, message: Array("another release".utf8), hash: algorithm.hash))

        let softHSM = try TestSoftHSM.shared()
        let reopened = try PKCS11Signer(try PKCS11URI(softHSM.uri(token: "signet-unit", object: label)), environment: [:])
        #expect(reopened.publicKeySPKI == signer.publicKeySPKI)
        #expect(key.isValidSignature(try await reopened.sign(message), message: message, hash: algorithm.hash))
        #expect {
            try PKCS11Signer.generate(in: token, label: label, algorithm: algorithm)
        } throws: { ($0 as? PKCS11Error)?.reason.contains("already holds") == true }
    }

    @Test("a session closed under the signer is replaced, and the signature still made")
    func reopensLostSessions() async throws {
        let token = try Self.token()
        let signer = try PKCS11Signer.generate(in: token, label: "unit-reopen-\(UUID().uuidString.prefix(8))", algorithm: .ecdsaP256SHA256)
        _ = try await signer.sign([1])
        // Close every session the token pools, as a device reset would, without telling it.
        for session in token.idleSessions() { _ = token.module.functions.pointee.C_CloseSession?(session) }
        let message = Array("after a device reset".utf8)
        let signature = try await signer.sign(message)
        #expect(try VerificationKey(spki: signer.publicKeySPKI).isValidSignature(signature, message: message, hash: .sha256))
    }

    @Test("concurrent signatures share the pool's sessions")
    func concurrent() async throws {
        let signer = try PKCS11Signer.generate(in: try Self.token(), label: "unit-concurrent-\(UUID().uuidString.prefix(8))", algorithm: .ed25519)
        let key = try VerificationKey(spki: signer.publicKeySPKI)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let message = Array("message \(index)".utf8)
                    return key.isValidSignature(try await signer.sign(message), message: message, hash: .sha256)
                }
            }
            for try await valid in group { #expect(valid) }
        }
    }

    @Test("a wrong PIN, a missing PIN, a missing module, an unknown token or key: clear errors")
    func refusals() throws {
        let softHSM = try TestSoftHSM.shared()
        func failure(_ uri: String, environment: [String: String] = [:]) -> PKCS11Error? {
            do {
                _ = try PKCS11Signer(try PKCS11URI(uri), environment: environment)
                return nil
            } catch {
                return error
            }
        }
        let wrongPIN = failure(softHSM.uri(token: "signet-locked", object: "k", pin: "0000"))
        #expect(wrongPIN?.code == .pin && wrongPIN?.reason.contains("CKR_PIN_INCORRECT") == true, "\(String(describing: wrongPIN))")
        let noPIN = failure(softHSM.uri(token: "signet-locked", object: "k", pin: nil))
        #expect(noPIN?.code == .pin && noPIN?.reason.contains("SIGNET_PKCS11_PIN") == true)
        let module = failure("pkcs11:token=signet-unit;object=k?module-path=/nonexistent/libnothing.so&pin-value=1")
        #expect(module?.code == .module && module?.reason.contains("/nonexistent/libnothing.so") == true)
        let relative = failure("pkcs11:token=signet-unit;object=k?module-path=libsofthsm2.so&pin-value=1")
        #expect(relative?.code == .module && relative?.reason.contains("absolute") == true)
        let noModule = failure("pkcs11:token=signet-unit;object=k")
        #expect(noModule?.code == .uri && noModule?.reason.contains("module-path") == true)
        let token = failure(softHSM.uri(token: "no-such-token", object: "k"))
        #expect(token?.code == .notFound && token?.reason.contains("\"signet-unit\"") == true, "\(String(describing: token))")
        let key = failure(softHSM.uri(token: "signet-unit", object: "no-such-key"))
        #expect(key?.code == .notFound)
        let pinFromEnvironment = failure(
            softHSM.uri(token: "signet-unit", object: "no-such-key", pin: nil), environment: ["SIGNET_PKCS11_PIN": TestSoftHSM.pin])
        #expect(pinFromEnvironment?.code == .notFound, "the PIN from the environment logs in; only the key is missing")
    }
}
