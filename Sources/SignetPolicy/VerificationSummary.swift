import SignetCore

/// A SLSA Verification Summary Attestation (slsa.dev `spec/v1.0/verification_summary`) of one
/// gate decision: who verified (`verifier.id`), when, the artifact (the statement's subject
/// and `resourceUri`), the policy it was decided under (its digest), the signatures and
/// attestations that met it (`inputAttestations`, by log entry), and `PASSED` or `FAILED`.
/// `expiresAt` (Signet's addition) is when the decision stops holding.
public enum VerificationSummary {
    /// The statement for `decision` about `name`, made by `verifier` at `time`.
    /// `entryURI` gives the address of a log entry by its index.
    public static func statement(
        _ decision: Decision, name: ArtifactName, environment: String, verifier: String, time: Timestamp, entryURI: (Int64) -> String
    ) -> InTotoStatement {
        let inputs = decision.evidence.map { used -> JSONValue in
            var members: [(String, JSONValue)] = [("name", .string(used.predicateType ?? "signature"))]
            if let index = used.logIndex { members.append(("uri", .string(entryURI(index)))) }
            // The signature's id is its log entry's RFC 6962 leaf hash.
            members.append(("digest", .object(JSONObject([("rfc6962LeafHash", .string(used.id))]))))
            return .object(JSONObject(members))
        }
        var levels: [JSONValue] = []
        if decision.allowed, decision.evidence.contains(where: { $0.predicateType == PredicateType.slsaProvenance.uri }) {
            levels.append(.string("SLSA_BUILD_LEVEL_1"))
        }
        levels += decision.policies.map { .string("SIGNET_POLICY_\($0.name.uppercased().replacingOccurrences(of: "-", with: "_"))") }
        let predicate = JSONValue.object(
            JSONObject([
                ("verifier", .object(JSONObject([("id", .string(verifier))]))),
                ("timeVerified", .string(time.rfc3339)),
                ("resourceUri", .string(name.description)),
                (
                    "policy",
                    .object(
                        JSONObject([
                            ("uri", .string("\(verifier)?environment=\(environment)")),
                            ("digest", .object(JSONObject([("sha256", .string(String(decision.policyDigest.dropFirst("sha256:".count))))]))),
                        ]))
                ),
                ("inputAttestations", .array(inputs)),
                ("verificationResult", .string(decision.allowed ? "PASSED" : "FAILED")),
                ("verifiedLevels", .array(levels)),
                ("slsaVersion", .string("1.0")),
                ("expiresAt", .string(decision.expiresAt.rfc3339)),
            ]))
        return InTotoStatement(
            subjects: [.init(name: name.repository, digest: ["sha256": Hex.encode(name.digest)])], predicateType: PredicateType.verificationSummary.uri,
            predicate: predicate)
    }
}
