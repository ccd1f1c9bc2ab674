import Crypto
import SignetCA
import SignetCore
import SignetLog
import SignetStore

extension SignetServices {
    /// Signs a statement the server itself makes (a revocation, a revocation snapshot) the way
    /// any signer would: a fresh P-256 key, a certificate from this instance's CA for
    /// `<server>/signet/revocations` under the server's own URL as issuer (recorded like every
    /// issuance), a message signature over the statement's SHA-256 digest, and a log entry
    /// committed before this returns. The result is a Sigstore bundle the one engine verifies.
    func signStatement(_ statement: [UInt8], origin: String) async throws -> SigstoreBundle {
        let key = P256.Signing.PrivateKey(compactRepresentable: false)
        let subject = RevocationSnapshot.signerIdentity(server: publicURL)
        let identity = VerifiedIdentity(subjectName: .uri(subject), issuer: publicURL, proofOfPossessionChallenges: [subject])
        let proof = Array(try key.signature(for: Array(subject.utf8)).derRepresentation)
        let leaf = try await issue(SigningCertificateRequest(publicKey: .init(key.publicKey), proof: .signedChallenge(proof)), for: identity, origin: origin)
        let digest = sha256(statement)
        let signature = Array(try key.signature(for: PrecomputedDigest(bytes: digest)).derRepresentation)
        let proposed = try RekorEntryBody.hashedRekordV001(
            .init(
                hashAlgorithm: .sha256, digest: digest, signature: signature,
                publicKeyPEM: PEM.encode(leaf.der, label: "CERTIFICATE"))
        ).canonicalBytes()
        let answer = try await log.append(try EntryAdmission.rekorV1(jsonBytes: proposed), api: .rekorV1, now: timeSource.now())
        return SigstoreBundle(
            signer: .certificate(leaf.der), tlogEntries: [answer.entry], rfc3161Timestamps: [],
            content: .messageSignature(.init(messageDigest: (.sha256, digest), signature: signature)))
    }
}
