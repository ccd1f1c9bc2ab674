import Foundation
import SignetCore
import SwiftASN1
import X509

extension InstancePublicMaterial {
    /// The ClientTrustConfig a client needs for this instance served at `serverURL`: the trusted
    /// root (every CA and TSA generation with its window; the CT key and the Rekor v1 and v2
    /// log keys valid from the keys' creation) and a signing config naming the server's CA,
    /// logs and TSA.
    public func clientTrustConfig(serverURL: String, organization: String) throws -> ClientTrustConfig {
        guard let components = URLComponents(string: serverURL), let scheme = components.scheme, ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty, components.path.isEmpty || components.path == "/"
        else {
            throw InstanceKeys.KeyError(
                reason: "expected the server's URL as scheme://host[:port] with no path, found \"\(ProtoJSONObject.preview(serverURL))\"")
        }
        let base = serverURL.hasSuffix("/") ? String(serverURL.dropLast()) : serverURL
        let validity = TimeRange(start: createdAt)
        guard let rawV2 = Ed25519PublicKey.rawKey(spki: logV2Key) else {
            throw InstanceKeys.KeyError(reason: "expected an Ed25519 key for the Rekor v2 log")
        }
        let root = TrustedRoot(
            tlogs: [
                .init(
                    baseURL: base, publicKey: logV1Key, keyDetails: SigningAlgorithm.ecdsaP256SHA256.rawValue, validFor: validity,
                    logID: SignedNote.ecdsaKeyID(spki: logV1Key)),
                .init(
                    baseURL: base, publicKey: logV2Key, keyDetails: SigningAlgorithm.ed25519.rawValue, validFor: validity,
                    logID: SignedNote.ed25519KeyID(name: host, rawKey: rawV2)),
            ],
            certificateAuthorities: try certificateAuthorities.map { generation in
                .init(
                    organization: organization, commonName: "Signet CA", uri: base,
                    certificateChain: [try generation.certificate.derBytes(), try rootCertificate.derBytes()], validFor: generation.validFor)
            },
            ctlogs: [
                .init(baseURL: base, publicKey: ctKey, keyDetails: SigningAlgorithm.ecdsaP256SHA256.rawValue, validFor: validity, logID: sha256(ctKey))
            ],
            timestampAuthorities: try timestampAuthorities.map { generation in
                .init(
                    organization: organization, commonName: "Signet TSA", uri: "\(base)/api/v1/timestamp",
                    certificateChain: [try generation.certificate.derBytes(), try tsaRootCertificate.derBytes()], validFor: generation.validFor)
            })
        func service(_ url: String, _ version: Int32) -> SigningConfig.Service {
            .init(url: url, majorAPIVersion: version, validFor: validity, operator: host)
        }
        let signing = SigningConfig(
            caURLs: [service(base, 1)], oidcURLs: [],
            rekorTlogURLs: [service(base, 2), service(base, 1)], rekorTlogConfig: .init(selector: "ANY"),
            tsaURLs: [service("\(base)/api/v1/timestamp", 1)], tsaConfig: .init(selector: "ANY"))
        return ClientTrustConfig(trustedRoot: root, signingConfig: signing)
    }
}
