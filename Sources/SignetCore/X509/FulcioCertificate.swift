import SwiftASN1
import X509

/// The Fulcio certificate profile's identity and provenance (sigstore/fulcio
/// `docs/oid-info.md`): OIDs under 1.3.6.1.4.1.57264.1, and readers for a leaf's values.
public enum FulcioExtension: String, CaseIterable, Sendable {
    case issuerV1 = "1.3.6.1.4.1.57264.1.1"
    case githubWorkflowTrigger = "1.3.6.1.4.1.57264.1.2"
    case githubWorkflowSHA = "1.3.6.1.4.1.57264.1.3"
    case githubWorkflowName = "1.3.6.1.4.1.57264.1.4"
    case githubWorkflowRepository = "1.3.6.1.4.1.57264.1.5"
    case githubWorkflowRef = "1.3.6.1.4.1.57264.1.6"
    case issuer = "1.3.6.1.4.1.57264.1.8"
    case buildSignerURI = "1.3.6.1.4.1.57264.1.9"
    case buildSignerDigest = "1.3.6.1.4.1.57264.1.10"
    case runnerEnvironment = "1.3.6.1.4.1.57264.1.11"
    case sourceRepositoryURI = "1.3.6.1.4.1.57264.1.12"
    case sourceRepositoryDigest = "1.3.6.1.4.1.57264.1.13"
    case sourceRepositoryRef = "1.3.6.1.4.1.57264.1.14"
    case sourceRepositoryIdentifier = "1.3.6.1.4.1.57264.1.15"
    case sourceRepositoryOwnerURI = "1.3.6.1.4.1.57264.1.16"
    case sourceRepositoryOwnerIdentifier = "1.3.6.1.4.1.57264.1.17"
    case buildConfigURI = "1.3.6.1.4.1.57264.1.18"
    case buildConfigDigest = "1.3.6.1.4.1.57264.1.19"
    case buildTrigger = "1.3.6.1.4.1.57264.1.20"
    case runInvocationURI = "1.3.6.1.4.1.57264.1.21"
    case sourceRepositoryVisibility = "1.3.6.1.4.1.57264.1.22"
    case deploymentEnvironment = "1.3.6.1.4.1.57264.1.23"
    case tokenSubject = "1.3.6.1.4.1.57264.1.24"

    /// The OtherName type of a username SAN.
    public static let otherNameSAN: ASN1ObjectIdentifier = [1, 3, 6, 1, 4, 1, 57264, 1, 7]

    /// The extension's name in Fulcio's `docs/oid-info.md` (`sourceRepositoryRef`, …).
    public var fieldName: String { String(describing: self) }

    /// The position of the extension's last OID arc, so extensions sort in OID order.
    public var oidOrder: Int { Int(rawValue.split(separator: ".").last ?? "") ?? 0 }

    public var oid: ASN1ObjectIdentifier {
        // The raw values are valid dotted OIDs by construction.
        try! ASN1ObjectIdentifier(dotRepresentation: rawValue)
    }

    /// Whether the value is raw bytes (the deprecated .1 to .6) rather than a DER UTF8String.
    public var isRawValue: Bool {
        switch self {
        case .issuerV1, .githubWorkflowTrigger, .githubWorkflowSHA, .githubWorkflowName, .githubWorkflowRepository, .githubWorkflowRef: true
        default: false
        }
    }

    /// The extension's value in `certificate`, decoded to text, or nil if absent.
    public func value(in certificate: Certificate) throws(FormatError) -> String? {
        guard let ext = certificate.extensions[oid: oid] else { return nil }
        if isRawValue {
            guard let text = String(validating: ext.value, as: UTF8.self) else {
                throw FormatError(.invalidValue, at: "certificate.extension[\(rawValue)]", "expected UTF-8 text")
            }
            return text
        }
        guard let text = try? ASN1UTF8String(derEncoded: Array(ext.value)) else {
            throw FormatError(.invalidValue, at: "certificate.extension[\(rawValue)]", "expected a DER UTF8String")
        }
        return String(text)
    }

    /// The DER `extnValue` for a value of this extension.
    public func encode(_ value: String) throws -> [UInt8] {
        if isRawValue { return Array(value.utf8) }
        var coder = DER.Serializer()
        try coder.serialize(ASN1UTF8String(value))
        return coder.serializedBytes
    }
}

extension Certificate {
    /// The OIDC issuer: extension 1.3.6.1.4.1.57264.1.8, else the legacy 1.3.6.1.4.1.57264.1.1.
    public func fulcioIssuer() throws(FormatError) -> String? {
        if let issuer = try FulcioExtension.issuer.value(in: self) { return issuer }
        return try FulcioExtension.issuerV1.value(in: self)
    }

    /// The identities in the SAN: email addresses, URIs and Fulcio username otherNames.
    public func sanIdentities() throws(FormatError) -> [String] {
        let names: SubjectAlternativeNames?
        do {
            names = try extensions.subjectAlternativeNames
        } catch {
            throw FormatError(.syntax, at: "certificate.subjectAlternativeName", "expected a DER SubjectAltName, found bytes that do not parse")
        }
        guard let names else { return [] }
        var identities: [String] = []
        for name in names {
            switch name {
            case .rfc822Name(let email): identities.append(email)
            case .uniformResourceIdentifier(let uri): identities.append(uri)
            case .otherName(let other) where other.typeID == FulcioExtension.otherNameSAN:
                if let value = other.value, let text = try? ASN1UTF8String(asn1Any: value) {
                    identities.append(String(text))
                }
            default: continue
            }
        }
        return identities
    }
}
