import Foundation
import SignetCore
import SignetStore

/// API key management on a server's store, for `signet admin api-key` run by the operator next
/// to the server: the data directory's SQLite store (which allows a second process beside the
/// server), or the PostgreSQL database the replicas share.
public struct APIKeyAdministration {
    let store: any Store
    let actor: String
    let timeSource: any TimeSource

    /// Opens the store the server at `dataDirectory` uses (`store`: its `--store` URL, if any);
    /// `actor` names the operator in audit events.
    public static func open(
        dataDirectory: String, store url: String?, environment: [String: String], actor: String, timeSource: any TimeSource = SystemTimeSource()
    ) async throws -> APIKeyAdministration {
        if url == nil {
            let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("signet.sqlite").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw ServerConfiguration.ConfigurationError(reason: "no Signet store at \(path): start `signet server --data \(dataDirectory)` once first")
            }
        }
        let store = try await SignetServer.openStore(url: url, dataDirectory: URL(fileURLWithPath: dataDirectory), environment: environment)
        return APIKeyAdministration(store: store, actor: actor, timeSource: timeSource)
    }

    /// Creates a key in a namespace the server's configuration defines (`defined`: those its
    /// namespaces name); the returned credential is the only copy of its secret.
    public func create(namespace: String, defined: Set<String>, scopes: Set<AccessScope>, lifetimeSeconds: Int64?, description: String) async throws
        -> (APIKeyCredential, APIKeyRecord)
    {
        guard NamespacePolicy.isValidName(namespace) else {
            throw ServerConfiguration.ConfigurationError(
                reason: "expected a namespace of 1 to 63 lower-case letters, digits and inner dashes, found \"\(ProtoJSONObject.preview(namespace))\"")
        }
        guard defined.contains(namespace) else {
            throw ServerConfiguration.ConfigurationError(
                reason:
                    "expected a namespace the server's configuration defines (\(defined.isEmpty ? "it defines none" : defined.sorted().joined(separator: ", "))), found \(namespace): add it to the namespaces of the server's configuration and pass that file with --config, or --dev for a development server's namespace default"
            )
        }
        guard !scopes.isEmpty else { throw ServerConfiguration.ConfigurationError(reason: "expected at least one scope") }
        let credential = APIKeyCredential.generate()
        let now = timeSource.now()
        let record = APIKeyRecord(
            id: credential.id, namespace: namespace, scopes: scopes, secretHash: credential.secretHash, description: description,
            createdBy: actor, createdAt: now, expiresAt: lifetimeSeconds.map { Timestamp(seconds: now.seconds + $0) })
        try await store.create(
            record,
            event: AuditEvent(
                time: now, actor: actor, action: "api-key.create", subject: record.id, origin: "local",
                detail: "namespace \(namespace), scopes \(scopes.sorted().map(\.rawValue).joined(separator: " "))", namespace: namespace))
        return (credential, record)
    }

    /// Revokes a key; false if there is no such key or it was already revoked.
    public func revoke(id: String) async throws -> Bool {
        let now = timeSource.now()
        let namespace = try await store.apiKey(id: id)?.namespace
        return try await store.revokeAPIKey(
            id: id, at: now,
            event: AuditEvent(time: now, actor: actor, action: "api-key.revoke", subject: id, origin: "local", detail: "", namespace: namespace))
    }

    /// The keys of a namespace, or all.
    public func list(namespace: String?) async throws -> [APIKeyRecord] {
        try await store.apiKeys(namespace: namespace)
    }
}
