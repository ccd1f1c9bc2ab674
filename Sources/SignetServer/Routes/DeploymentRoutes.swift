import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore

/// The deployment inventory: what runs where. The gate adds every artifact it admits
/// (``recordAdmission(_:environment:decision:caller:)``); a deployment without a gate says so
/// itself at `POST /api/signet/v1/deployments {name, environment}` (`signet deploy record`),
/// with the verify scope in the name's namespace. The compliance queries read it.
extension SignetServices {
    func addDeploymentRoutes(to routes: AccessRoutes) {
        routes.caller(.post, "\(Self.artifactAPI)/deployments", anyOf: [.verify]) { request, context, caller in
            var body = try await self.jsonBody(request, limit: 16 << 10)
            let name = try Self.artifactName(try body.requiredString("name"))
            let environment = try body.requiredString("environment")
            try body.finish()
            try Self.checkEnvironment(environment)
            guard let namespace = try await self.owningNamespace(of: name) else {
                throw APIError(.notFound, "no-signature", "expected a name a namespace owns, found \(name) owned by none (nothing was ever signed under it)")
            }
            try self.authorize(caller, .verify, in: namespace)
            let signature = try await self.latestSignature(of: name)
            let now = self.timeSource.now()
            let record = DeploymentRecord(
                environment: environment, name: name, namespace: namespace, signatureID: signature?.id, source: .record, actor: caller.actor,
                firstSeen: now, lastSeen: now)
            try await self.store.record(deployments: [record])
            self.deploymentSightings.wrote(.init(environment: environment, name: name), signatureID: signature?.id, now: now)
            try await self.auditEvents.submit(
                AuditEvent(
                    time: now, actor: caller.actor, action: "deployment.record", subject: name.description, origin: context.origin,
                    detail: "running in \(environment)\(signature.map { " on signature \($0.id)" } ?? " with no unrevoked signature")", namespace: namespace))
            return Response.json(Self.json(record), status: .created)
        }
    }

    /// Adds an admission to the inventory when it is news (``DeploymentSightings``): the gate
    /// admitted `subject`, a digest-pinned name `namespace` owns, in `environment`.
    func recordAdmission(_ subject: String, namespace: String, environment: String, decision: Decision, caller: Caller) async throws {
        guard decision.allowed, let name = try? ArtifactName(parsing: subject) else { return }
        // The signature the decision used; one admitted by an exception may have used none.
        var signatureID = decision.evidence.first { $0.predicateType == nil }?.id
        if signatureID == nil { signatureID = try await latestSignature(of: name)?.id }
        let now = timeSource.now()
        let key = DeploymentSightings.Key(environment: environment, name: name)
        guard deploymentSightings.isNews(key, signatureID: signatureID, now: now) else { return }
        try await deploymentRecords.submit(
            DeploymentRecord(
                environment: environment, name: name, namespace: namespace, signatureID: signatureID, source: .gate, actor: caller.actor, firstSeen: now,
                lastSeen: now))
        deploymentSightings.wrote(key, signatureID: signatureID, now: now)
    }

    /// The name's latest unrevoked message signature.
    func latestSignature(of name: ArtifactName) async throws -> SignatureRecord? {
        try await store.signatures(name: name).last { $0.attestation == nil && $0.revocation == nil }
    }

    static func json(_ record: DeploymentRecord) -> JSONValue {
        .object(
            JSONObject([
                ("environment", .string(record.environment)), ("name", .string(record.name.description)), ("namespace", .string(record.namespace)),
                ("signature", record.signatureID.map(JSONValue.string) ?? .null), ("source", .string(record.source.rawValue)),
                ("actor", .string(record.actor)), ("firstSeen", .string(record.firstSeen.rfc3339)), ("lastSeen", .string(record.lastSeen.rfc3339)),
            ]))
    }
}
