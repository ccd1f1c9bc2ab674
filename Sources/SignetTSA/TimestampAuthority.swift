import SignetCore
import SwiftASN1
import X509

/// An RFC 3161 time-stamping authority: it answers a DER `TimeStampReq` with a DER
/// `TimeStampResp` holding a token signed by its key, or with a rejection that says why.
/// It never grants without a token. Pure: the key and the clock come in through protocols.
public struct TimestampAuthority: Sendable {
    /// A refused request: the RFC 3161 failure bit and what was expected and found.
    public struct Rejection: Error, Hashable, Sendable, CustomStringConvertible {
        public var failure: TimeStampResponse.FailureInfo
        public var reason: String

        public var description: String { reason }
    }

    public let signer: any Signer
    /// The TSA certificate (critical EKU timeStamping), then its issuers up to the root.
    public let certificateChain: [Certificate]
    public let policy: ASN1ObjectIdentifier
    public let timeSource: any TimeSource
    private let certificateDER: [UInt8]
    private let signerIdentifier: CMSSignerInfo.SignerIdentifier
    private let signingCertificateAttribute: [UInt8]

    /// The largest request accepted; real ones are under 100 bytes.
    public static let maxRequestBytes = 4096

    public init(
        signer: any Signer, certificateChain: [Certificate], policy: ASN1ObjectIdentifier = .sigstoreTimestampPolicy,
        timeSource: any TimeSource = SystemTimeSource()
    ) throws {
        guard let leaf = certificateChain.first else {
            throw FormatError(.missingField, at: "tsa", "expected the TSA certificate chain, found none")
        }
        guard signer.algorithm != .ed25519 else {
            throw FormatError(.unsupported, at: "tsa", "expected an ECDSA TSA key, found Ed25519")
        }
        guard leaf.subjectPublicKeyInfoDER == signer.publicKeySPKI else {
            throw FormatError(.invalidValue, at: "tsa", "expected the TSA certificate to certify the signer's key, found another key")
        }
        self.signer = signer
        self.certificateChain = certificateChain
        self.policy = policy
        self.timeSource = timeSource
        certificateDER = try leaf.derBytes()
        signerIdentifier = .issuerAndSerialNumber(issuer: try leaf.issuer.derBytes(), serialNumber: RawInteger(unsigned: Array(leaf.serialNumber.bytes)).bytes)
        signingCertificateAttribute = try ESSCertificateID.signingCertificateV2(certificateDER: certificateDER)
    }

    /// Answers a DER request: a granted response, or a rejection response (status 2) naming
    /// the failure. Only a failure to sign makes it throw.
    public func respond(toRequest der: [UInt8]) async throws -> (response: [UInt8], rejection: Rejection?) {
        do {
            let request = try Self.parse(der)
            return (try await timestamp(request), nil)
        } catch let rejection as Rejection {
            return (try TimeStampResponse.rejection(rejection.failure, reason: rejection.reason).derEncoded(), rejection)
        }
    }

    /// Parses a request strictly: DER, version 1, a SHA-2 imprint of the right length, no
    /// extensions.
    public static func parse(_ der: [UInt8]) throws(Rejection) -> TimeStampRequest {
        guard der.count <= maxRequestBytes else {
            throw Rejection(failure: .badDataFormat, reason: "expected a TimeStampReq of at most \(maxRequestBytes) bytes, found \(der.count)")
        }
        let request: TimeStampRequest
        do {
            request = try TimeStampRequest(derEncoded: try DER.parse(der))
        } catch {
            throw Rejection(failure: .badDataFormat, reason: "expected a DER TimeStampReq (RFC 3161 §2.4.1), found bytes that do not parse")
        }
        guard request.version == 1 else {
            throw Rejection(failure: .badRequest, reason: "expected TimeStampReq version 1, found \(request.version)")
        }
        guard let hash = request.messageImprint.hashAlgorithm.hashAlgorithm else {
            throw Rejection(
                failure: .badAlgorithm,
                reason: "expected a SHA-256, SHA-384 or SHA-512 message imprint, found algorithm \(request.messageImprint.hashAlgorithm.algorithm)")
        }
        // RFC 5754 §2: SHA-2 parameters are absent or NULL; anything else is refused rather
        // than echoed into a signed TSTInfo.
        if let parameters = request.messageImprint.hashAlgorithm.parameters {
            guard (try? ASN1Null(asn1Any: parameters)) != nil else {
                throw Rejection(
                    failure: .badAlgorithm,
                    reason:
                        "expected the \(hash.rekorName) imprint algorithm's parameters to be absent or NULL (RFC 5754 §2), found \(Self.describe(parameters))")
            }
        }
        guard request.messageImprint.hashedMessage.count == hash.byteCount else {
            throw Rejection(
                failure: .badDataFormat,
                reason: "expected a \(hash.byteCount)-byte \(hash.rekorName) imprint, found \(request.messageImprint.hashedMessage.count) bytes")
        }
        guard !request.hasExtensions else {
            throw Rejection(failure: .unacceptedExtension, reason: "expected no request extensions, found some")
        }
        return request
    }

    /// Grants a timestamp for a parsed request: a DER `TimeStampResp` with status 0 and a token.
    public func timestamp(_ request: TimeStampRequest) async throws -> [UInt8] {
        if let requested = request.requestPolicy, requested != policy {
            throw Rejection(failure: .unacceptedPolicy, reason: "expected policy \(policy) or none, found \(requested)")
        }
        let now = timeSource.now()
        let info = try TSTInfo(
            policy: policy, messageImprint: request.messageImprint,
            serialNumber: RawInteger(unsigned: secureRandomBytes(16)).bytes,
            genTime: try Self.generalizedTime(now), accuracySeconds: 1, nonce: request.nonce)
        let infoDER = try info.derBytes()
        let hash = signer.algorithm.hash
        let digestAlgorithm = AlgorithmIdentifier(algorithm: hash == .sha384 ? .sha384 : .sha256)
        let attributes: [(type: ASN1ObjectIdentifier, values: [[UInt8]])] = [
            (.cmsContentTypeAttribute, [try ASN1ObjectIdentifier.tstInfo.derBytes()]),
            (.cmsMessageDigestAttribute, [try ASN1OctetString(contentBytes: hash.hash(infoDER)[...]).derBytes()]),
            (.signingCertificateV2, [signingCertificateAttribute]),
        ]
        let attributesDER = try CMSSignerInfo.encodeAttributes(attributes)
        let signature = try await signer.sign(attributesDER)
        let signerInfo = try CMSSignerInfo(
            version: 1, signerIdentifier: signerIdentifier, digestAlgorithm: digestAlgorithm, signedAttributes: attributes,
            signatureAlgorithm: signer.algorithm.algorithmIdentifier, signature: signature)
        let signedData = CMSSignedData(
            version: 3, digestAlgorithms: [digestAlgorithm], contentType: .tstInfo, content: infoDER,
            certificates: request.certificateRequested ? [certificateDER] : [], signerInfos: [signerInfo])
        return try TimeStampResponse(status: 0, tokenDER: try signedData.contentInfoDER()).derEncoded()
    }

    /// A bounded hex excerpt of DER parameters, for a rejection's reason.
    private static func describe(_ parameters: ASN1Any) -> String {
        guard let der = try? parameters.derBytes() else { return "parameters that cannot be encoded" }
        return "DER \(Hex.encode(Array(der.prefix(16))))\(der.count > 16 ? "…" : "") (\(der.count) bytes)"
    }

    /// GeneralizedTime in UTC with whole seconds (RFC 3161 §2.4.2).
    static func generalizedTime(_ time: Timestamp) throws -> GeneralizedTime {
        let utc = time.utcComponents
        return try GeneralizedTime(
            year: utc.year, month: utc.month, day: utc.day, hours: utc.hours, minutes: utc.minutes, seconds: utc.seconds, fractionalSeconds: 0)
    }
}
