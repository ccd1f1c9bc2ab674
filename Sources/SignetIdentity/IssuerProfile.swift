import SignetCA
import SignetCore

/// How an issuer's claims become a certificate identity and provenance (sigstore/fulcio
/// `docs/oid-info.md`).
public enum IssuerProfile: String, Sendable, Hashable, CaseIterable {
    /// GitHub Actions: the SAN is the workflow's URI; every Fulcio GitHub extension is set.
    case githubActions = "github-actions"
    /// GitLab CI: the SAN is the pipeline configuration's URI; every GitLab extension is set.
    case gitlabCI = "gitlab-ci"
    /// A person: the SAN is the verified `email` claim.
    case email
    /// A service: the SAN is the `sub` claim, which must be a URI.
    case subjectURI = "subject-uri"
    /// Signet's development identity provider, whose tokens take any shape: GitHub Actions
    /// when they carry `job_workflow_ref`, else a verified `email`, else `sub` as a URI.
    case development

    /// Maps verified claims to an identity, or names the claim that is missing.
    func identity(issuer: String, token: IdentityToken) throws(IdentityError) -> VerifiedIdentity {
        func claim(_ name: String) throws(IdentityError) -> String {
            guard let value = token.string(name), !value.isEmpty else {
                throw IdentityError(.missingClaim, "expected a non-empty \"\(name)\" claim for a \(rawValue) token, found none")
            }
            return value
        }
        let subject = try claim("sub")
        var challenges = [subject]
        if let email = token.string("email") { challenges.insert(email, at: 0) }
        switch self {
        case .development:
            let shape: IssuerProfile = token.string("job_workflow_ref") != nil ? .githubActions : (token.string("email") != nil ? .email : .subjectURI)
            return try shape.identity(issuer: issuer, token: token)
        case .email:
            let email = try claim("email")
            guard case .bool(true)? = token.claims["email_verified"] else {
                throw IdentityError(.missingClaim, "expected \"email_verified\": true for an email identity, found otherwise")
            }
            return VerifiedIdentity(subjectName: .email(email), issuer: issuer, provenance: [.tokenSubject: subject], proofOfPossessionChallenges: challenges)
        case .subjectURI:
            guard subject.contains("://") else {
                throw IdentityError(
                    .missingClaim, "expected the \"sub\" claim to be a URI for a subject-uri identity, found \"\(ProtoJSONObject.preview(subject))\"")
            }
            return VerifiedIdentity(subjectName: .uri(subject), issuer: issuer, provenance: [.tokenSubject: subject], proofOfPossessionChallenges: challenges)
        case .githubActions:
            let server = token.string("server_url") ?? "https://github.com"
            let repository = try claim("repository")
            let workflowRef = try claim("job_workflow_ref")
            var provenance: [FulcioExtension: String] = [
                .githubWorkflowTrigger: try claim("event_name"),
                .githubWorkflowSHA: try claim("sha"),
                .githubWorkflowName: try claim("workflow"),
                .githubWorkflowRepository: repository,
                .githubWorkflowRef: try claim("ref"),
                .buildSignerURI: "\(server)/\(workflowRef)",
                .sourceRepositoryURI: "\(server)/\(repository)",
                .sourceRepositoryDigest: try claim("sha"),
                .sourceRepositoryRef: try claim("ref"),
                .buildTrigger: try claim("event_name"),
                .tokenSubject: subject,
            ]
            let optional: [(FulcioExtension, String?)] = [
                (.buildSignerDigest, token.string("job_workflow_sha")),
                (.runnerEnvironment, token.string("runner_environment")),
                (.sourceRepositoryIdentifier, token.string("repository_id")),
                (.sourceRepositoryOwnerURI, token.string("repository_owner").map { "\(server)/\($0)" }),
                (.sourceRepositoryOwnerIdentifier, token.string("repository_owner_id")),
                (.buildConfigURI, token.string("workflow_ref").map { "\(server)/\($0)" }),
                (.buildConfigDigest, token.string("workflow_sha")),
                (.runInvocationURI, token.string("run_id").map { "\(server)/\(repository)/actions/runs/\($0)/attempts/\(token.string("run_attempt") ?? "1")" }),
                (.sourceRepositoryVisibility, token.string("repository_visibility")),
            ]
            for case (let ext, let value?) in optional { provenance[ext] = value }
            return VerifiedIdentity(
                subjectName: .uri("\(server)/\(workflowRef)"), issuer: issuer, provenance: provenance, proofOfPossessionChallenges: challenges)
        case .gitlabCI:
            let server = token.string("ci_server_url") ?? "https://gitlab.com"
            let project = try claim("project_path")
            let configRef = try claim("ci_config_ref_uri")
            let refType = try claim("ref_type")
            let ref = try claim("ref")
            let fullRef = refType == "tag" ? "refs/tags/\(ref)" : "refs/heads/\(ref)"
            var provenance: [FulcioExtension: String] = [
                .buildSignerURI: "https://\(configRef)",
                .sourceRepositoryURI: "\(server)/\(project)",
                .sourceRepositoryDigest: try claim("sha"),
                .sourceRepositoryRef: fullRef,
                .buildConfigURI: "https://\(configRef)",
                .buildTrigger: try claim("pipeline_source"),
                .tokenSubject: subject,
            ]
            let optional: [(FulcioExtension, String?)] = [
                (.buildSignerDigest, token.string("ci_config_sha")),
                (.runnerEnvironment, token.string("runner_environment")),
                (.sourceRepositoryIdentifier, token.string("project_id")),
                (.sourceRepositoryOwnerURI, token.string("namespace_path").map { "\(server)/\($0)" }),
                (.sourceRepositoryOwnerIdentifier, token.string("namespace_id")),
                (.buildConfigDigest, token.string("ci_config_sha")),
                (.runInvocationURI, token.string("job_id").map { "\(server)/\(project)/-/jobs/\($0)" }),
                (.sourceRepositoryVisibility, token.string("project_visibility")),
            ]
            for case (let ext, let value?) in optional { provenance[ext] = value }
            return VerifiedIdentity(subjectName: .uri("https://\(configRef)"), issuer: issuer, provenance: provenance, proofOfPossessionChallenges: challenges)
        }
    }
}
