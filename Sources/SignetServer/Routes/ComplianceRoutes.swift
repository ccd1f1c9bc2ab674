import Hummingbird
import SignetCore
import SignetLog
import SignetPolicy
import SignetStore

/// Compliance answers with proof (`GET /api/signet/v1/compliance/<query>`), for a caller
/// holding `audit`, over the namespaces it audits: the deployment inventory; artifacts
/// admitted in an environment without an attestation of a type; running artifacts whose
/// signature has since been revoked; everything built from a ref and where it runs;
/// everything signed by an identity; policy exceptions expiring soon. Every row names the
/// log entry it rests on (a signature, a revocation, a policy) with that entry's inclusion
/// proof against the latest checkpoint, so an auditor checks it without trusting the server.
/// JSON by default; `format=csv` for a spreadsheet.
extension SignetServices {
    /// The queries, by path segment.
    enum ComplianceQuery: String, CaseIterable {
        case inventory
        case missingAttestation = "missing-attestation"
        case revokedRunning = "revoked-running"
        case builtFrom = "built-from"
        case signedBy = "signed-by"
        case expiringExceptions = "expiring-exceptions"
    }

    /// One answer row: its fields in order (a missing value is empty), and the log entry it
    /// rests on.
    struct ComplianceRow {
        var fields: [(String, String?)]
        var logIndex: Int64?
    }

    static let maxComplianceRows = 10_000

    func addComplianceRoutes(to routes: AccessRoutes) {
        for query in ComplianceQuery.allCases {
            routes.caller(.get, "\(Self.artifactAPI)/compliance/\(query.rawValue)", anyOf: [.audit]) { request, _, caller in
                let rows = try await self.compliance(query, request, namespaces: self.auditableNamespaces(of: caller))
                return try await self.complianceResponse(query, rows, csv: try Self.wantsCSV(request))
            }
        }
    }

    static func wantsCSV(_ request: Request) throws -> Bool {
        switch request.query("format") {
        case nil, "json": return false
        case "csv": return true
        case let other?: throw APIError(.badRequest, "invalid-query", "format: expected json or csv, found \"\(ProtoJSONObject.preview(other))\"")
        }
    }

    /// The rows `query` answers with, over `namespaces` (every one if nil).
    func compliance(_ query: ComplianceQuery, _ request: Request, namespaces: [String]?) async throws -> [ComplianceRow] {
        switch query {
        case .inventory:
            return try await inventoryRows(environment: request.query("environment"), namespaces: namespaces)
        case .missingAttestation:
            let environment = try request.requiredQuery("environment")
            let typeText = try request.requiredQuery("type")
            let type: PredicateType
            do throws(FormatError) { type = try PredicateType(parsing: typeText) } catch {
                throw APIError(.badRequest, "invalid-query", "type: \(error.reason)")
            }
            var rows: [ComplianceRow] = []
            for deployment in try await store.deployments(environment: environment, namespaces: namespaces, limit: Self.maxComplianceRows) {
                let signatures = try await store.signatures(name: deployment.name)
                guard !signatures.contains(where: { $0.attestation?.predicateType == type.uri && $0.revocation == nil }) else { continue }
                let signature = signatures.first { $0.id == deployment.signatureID }
                rows.append(
                    ComplianceRow(
                        fields: Self.deploymentFields(deployment) + [
                            ("signature", deployment.signatureID), ("missing", type.uri),
                            ("attestations", Set(signatures.compactMap(\.attestation?.predicateType)).sorted().joined(separator: " ")),
                        ], logIndex: signature?.logIndex))
            }
            return rows
        case .revokedRunning:
            var rows: [ComplianceRow] = []
            for deployment in try await store.deployments(environment: request.query("environment"), namespaces: namespaces, limit: Self.maxComplianceRows) {
                guard let id = deployment.signatureID, let signature = try await store.signatures(name: deployment.name).first(where: { $0.id == id }),
                    let revocation = signature.revocation
                else { continue }
                rows.append(
                    ComplianceRow(
                        fields: Self.deploymentFields(deployment) + [
                            ("signature", id), ("signatureLogIndex", String(signature.logIndex)), ("revokedBy", revocation.actor),
                            ("revokedAt", revocation.time.rfc3339), ("reason", revocation.reason), ("sourceRepositoryRef", revocation.sourceRepositoryRef),
                        ], logIndex: revocation.logIndex))
            }
            return rows
        case .builtFrom, .signedBy:
            var filter = SignatureFilter(namespaces: namespaces)
            if query == .builtFrom {
                filter.sourceRepositoryRef = try request.requiredQuery("sourceRepositoryRef")
                filter.sourceRepository = request.query("sourceRepository")
            } else {
                filter.identity = try request.requiredQuery("identity")
            }
            let signatures = try await store.signatures(filter, after: nil, limit: 1_000)
            let running = Dictionary(
                grouping: try await store.deployments(environment: nil, namespaces: namespaces, limit: Self.maxComplianceRows), by: \.name)
            return signatures.map { signature in
                ComplianceRow(
                    fields: [
                        ("name", signature.name.description), ("namespace", signature.namespace), ("signature", signature.id),
                        ("kind", signature.attestation.map { "attestation \($0.predicateType)" } ?? "signature"), ("identity", signature.identity),
                        ("sourceRepository", signature.sourceRepository), ("sourceRepositoryRef", signature.sourceRepositoryRef),
                        ("signedAt", signature.signedAt.rfc3339), ("revoked", signature.revocation.map { "\($0.time.rfc3339) by \($0.actor)" }),
                        ("runningIn", (running[signature.name] ?? []).map(\.environment).sorted().joined(separator: " ")),
                    ], logIndex: signature.logIndex)
            }
        case .expiringExceptions:
            let within =
                try request.query("withinSeconds").map { text in
                    guard let seconds = Int64(text), (1...31_536_000).contains(seconds) else {
                        throw APIError(.badRequest, "invalid-query", "withinSeconds: expected 1 to 31536000, found \"\(ProtoJSONObject.preview(text))\"")
                    }
                    return seconds
                } ?? 7 * 86_400
            let now = timeSource.now()
            let visible = namespaces.map(Set.init)
            var rows: [ComplianceRow] = []
            for record in try await store.currentPolicies() {
                let document = try policyDocuments.document(record)
                if let visible, !(document.scope.namespace.map(visible.contains) ?? false) { continue }
                let logIndex = try await store.indexedEntries(log: LogService.treeName, key: record.digest, limit: 1).first?.index
                for exception in document.exceptions where exception.expiresAt > now && exception.expiresAt.seconds <= now.seconds + within {
                    rows.append(
                        ComplianceRow(
                            fields: [
                                ("policy", record.name), ("version", String(record.version)), ("environment", document.scope.environment),
                                ("namespace", document.scope.namespace),
                                ("covers", exception.digest.map { "sha256:\(Hex.encode($0))" } ?? exception.names.map(\.description).joined(separator: " ")),
                                ("owner", exception.owner), ("reason", exception.reason), ("expiresAt", exception.expiresAt.rfc3339),
                                ("policyDigest", record.digest),
                            ], logIndex: logIndex))
                }
            }
            return rows
        }
    }

    private func inventoryRows(environment: String?, namespaces: [String]?) async throws -> [ComplianceRow] {
        var rows: [ComplianceRow] = []
        for deployment in try await store.deployments(environment: environment, namespaces: namespaces, limit: Self.maxComplianceRows) {
            let signature = try await deployment.signatureID.asyncMap { id in try await store.signatures(name: deployment.name).first { $0.id == id } }
            rows.append(
                ComplianceRow(
                    fields: Self.deploymentFields(deployment) + [
                        ("signature", deployment.signatureID), ("identity", signature?.identity), ("sourceRepositoryRef", signature?.sourceRepositoryRef),
                        ("revoked", signature?.revocation.map { "\($0.time.rfc3339) by \($0.actor)" }),
                    ], logIndex: signature?.logIndex))
        }
        return rows
    }

    private static func deploymentFields(_ deployment: DeploymentRecord) -> [(String, String?)] {
        [
            ("environment", deployment.environment), ("name", deployment.name.description), ("namespace", deployment.namespace),
            ("source", deployment.source.rawValue), ("firstSeen", deployment.firstSeen.rfc3339), ("lastSeen", deployment.lastSeen.rfc3339),
        ]
    }

    /// The rows as JSON (each with its entry's leaf hash and inclusion proof, and the signed
    /// checkpoint the proofs end at) or as CSV (the proof's tree size and root hash in columns).
    func complianceResponse(_ query: ComplianceQuery, _ rows: [ComplianceRow], csv: Bool) async throws -> Response {
        var proven: [(ComplianceRow, TransparencyLogEntry?)] = []
        for row in rows {
            proven.append((row, try await row.logIndex.asyncMap { index in try await log.lookup(index: index, api: .rekorV2)?.entry }))
        }
        if csv {
            let names = (rows.first?.fields.map(\.0) ?? []) + ["logIndex", "leafHash", "treeSize", "rootHash"]
            var lines = [names.map(Self.csvField).joined(separator: ",")]
            for (row, entry) in proven {
                let values =
                    row.fields.map { $0.1 ?? "" }
                    + [
                        row.logIndex.map(String.init) ?? "", entry.map { Hex.encode(Merkle.leafHash($0.canonicalizedBody)) } ?? "",
                        entry?.inclusionProof.map { String($0.treeSize) } ?? "", entry?.inclusionProof.map { Hex.encode($0.rootHash) } ?? "",
                    ]
                lines.append(values.map(Self.csvField).joined(separator: ","))
            }
            return Response.bytes(
                Array((lines.joined(separator: "\r\n") + "\r\n").utf8), contentType: "text/csv; charset=utf-8",
                headers: [.contentDisposition: "attachment; filename=\"signet-\(query.rawValue).csv\""])
        }
        let items: [JSONValue] = proven.map { row, entry in
            var members = row.fields.map { ($0.0, $0.1.map(JSONValue.string) ?? .null) }
            members.append(("logIndex", row.logIndex.map(JSONValue.integer) ?? .null))
            if let entry, let proof = entry.inclusionProof {
                members.append(
                    (
                        "proof",
                        .object(
                            JSONObject([
                                ("leafHash", .string(Hex.encode(Merkle.leafHash(entry.canonicalizedBody)))), ("treeSize", .integer(proof.treeSize)),
                                ("rootHash", .string(Hex.encode(proof.rootHash))), ("hashes", .array(proof.hashes.map { .string(Hex.encode($0)) })),
                                ("checkpoint", proof.checkpoint.map(JSONValue.string) ?? .null),
                            ]))
                    ))
            } else {
                members.append(("proof", .null))
            }
            return .object(JSONObject(members))
        }
        return Response.json(.object(JSONObject([("query", .string(query.rawValue)), ("rows", .array(items))])))
    }

    /// A CSV field (RFC 4180 §2): quoted when it holds a comma, a quote or a line break, and
    /// never starting with a character a spreadsheet would read as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Optional {
    /// The value mapped by an async `transform`, or nil.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T?) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
