import Crypto
import SignetCA
import SignetCore
import SignetLog
import SignetPolicy
import SignetStore

extension SignetServices {
    /// Signs a statement the server itself makes (a revocation, a revocation snapshot) the way
    /// any signer would: a fresh P-256 key, a certificate from this instance's CA for
    /// `subject` (`<server>/signet/…`) under the server's own URL as issuer (recorded like every
    /// issuance), a message signature over the statement's SHA-256 digest, and a log entry
    /// committed before this returns. The result is a Sigstore bundle the one engine verifies.
    func signStatement(_ statement: [UInt8], as subject: String, origin: String) async throws -> SigstoreBundle {
        let (key, leaf) = try await serverCertificate(subject, origin: origin)
        let digest = sha256(statement)
        let signature = Array(try key.signature(for: PrecomputedDigest(bytes: digest)).derRepresentation)
        let proposed = try RekorEntryBody.hashedRekordV001(
            .init(
                hashAlgorithm: .sha256, digest: digest, signature: signature,
                publicKeyPEM: PEM.encode(leaf, label: "CERTIFICATE"))
        ).canonicalBytes()
        let answer = try await log.append(try EntryAdmission.rekorV1(jsonBytes: proposed), api: .rekorV1, now: timeSource.now())
        return SigstoreBundle(
            signer: .certificate(leaf), tlogEntries: [answer.entry], rfc3161Timestamps: [],
            content: .messageSignature(.init(messageDigest: (.sha256, digest), signature: signature)))
    }

    /// Signs an in-toto statement the server makes (a verification summary) as DSSE, the same
    /// way: its own certificate for `subject`, a Rekor v1 `dsse` entry committed before this
    /// returns.
    func signAttestation(_ statement: InTotoStatement, as subject: String, origin: String) async throws -> SigstoreBundle {
        let (key, leaf) = try await serverCertificate(subject, origin: origin)
        let payload = statement.json.compactBytes()
        let pae = DSSEEnvelope.preAuthenticationEncoding(payloadType: DSSEEnvelope.inTotoPayloadType, payload: payload)
        let signature = Array(try key.signature(for: pae).derRepresentation)
        let envelope = DSSEEnvelope(payload: payload, payloadType: DSSEEnvelope.inTotoPayloadType, signatures: [.init(signature: signature)])
        let proposed = envelope.rekorV1Proposal(certificate: leaf)
        let answer = try await log.append(try EntryAdmission.rekorV1(jsonBytes: proposed.compactBytes()), api: .rekorV1, now: timeSource.now())
        return SigstoreBundle(signer: .certificate(leaf), tlogEntries: [answer.entry], rfc3161Timestamps: [], content: .dsseEnvelope(envelope))
    }

    /// A fresh key and this instance's certificate for it, certifying `subject` under the
    /// server's own URL as issuer.
    private func serverCertificate(_ subject: String, origin: String) async throws -> (key: P256.Signing.PrivateKey, leaf: [UInt8]) {
        let key = P256.Signing.PrivateKey(compactRepresentable: false)
        let identity = VerifiedIdentity(subjectName: .uri(subject), issuer: publicURL, proofOfPossessionChallenges: [subject])
        let proof = Array(try key.signature(for: Array(subject.utf8)).derRepresentation)
        let leaf = try await issue(SigningCertificateRequest(publicKey: .init(key.publicKey), proof: .signedChallenge(proof)), for: identity, origin: origin)
        return (key, leaf.der)
    }

    /// The identity the gate signs its verification summaries as: `<server>/signet/gate`.
    var gateIdentity: String {
        GateExport.signerIdentity(server: publicURL)
    }
}
