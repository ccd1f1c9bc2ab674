/// A SLSA Provenance v1 predicate (slsa.dev `spec/v1.0/provenance`) made from what a CI's
/// identity token attests: the Fulcio extensions its certificate carries. Every field a gate
/// cross-checks against the certificate (source repository, ref, commit, builder) then agrees
/// with it by construction, and nothing in it is the signer's own word.
public enum SLSAProvenance {
    /// GitHub Actions' build type (`actions/buildtypes`, workflow v1).
    public static let githubWorkflowBuildType = "https://actions.github.io/buildtypes/workflow/v1"

    /// The predicate for a GitHub Actions build: `externalParameters.workflow` (ref,
    /// repository, the workflow file's path), the source as a resolved dependency at its
    /// commit, the builder (the workflow that ran, `buildSignerURI`) and the run.
    public static func predicate(attested provenance: [FulcioExtension: String]) throws(FormatError) -> JSONValue {
        let required: [FulcioExtension] = [
            .githubWorkflowRepository, .sourceRepositoryURI, .sourceRepositoryRef, .sourceRepositoryDigest, .buildSignerURI, .buildConfigURI,
        ]
        let missing = required.filter { provenance[$0] == nil }
        guard missing.isEmpty else {
            throw FormatError(
                .missingField, at: "provenance",
                "expected a GitHub Actions token's attested \(required.map(\.fieldName).joined(separator: ", ")), found none of \(missing.map(\.fieldName).joined(separator: ", ")); write the predicate yourself and pass it as a file"
            )
        }
        let repository = provenance[.sourceRepositoryURI] ?? ""
        let ref = provenance[.sourceRepositoryRef] ?? ""
        let configuration = provenance[.buildConfigURI] ?? ""
        // The build configuration is `<repository>/<path>@<ref>`.
        guard configuration.hasPrefix(repository + "/"), let at = configuration.lastIndex(of: "@") else {
            throw FormatError(
                .invalidValue, at: "provenance.buildConfigURI",
                "expected \(repository)/<workflow path>@<ref>, found \"\(ProtoJSONObject.preview(configuration))\"")
        }
        let path = String(configuration[configuration.index(configuration.startIndex, offsetBy: repository.count + 1)..<at])
        var github: [(String, JSONValue)] = []
        if let trigger = provenance[.buildTrigger] { github.append(("event_name", .string(trigger))) }
        if let identifier = provenance[.sourceRepositoryIdentifier] { github.append(("repository_id", .string(identifier))) }
        if let owner = provenance[.sourceRepositoryOwnerIdentifier] { github.append(("repository_owner_id", .string(owner))) }
        if let runner = provenance[.runnerEnvironment] { github.append(("runner_environment", .string(runner))) }
        var metadata: [(String, JSONValue)] = []
        if let run = provenance[.runInvocationURI] { metadata.append(("invocationId", .string(run))) }
        return .object(
            JSONObject([
                (
                    "buildDefinition",
                    .object(
                        JSONObject([
                            ("buildType", .string(githubWorkflowBuildType)),
                            (
                                "externalParameters",
                                .object(
                                    JSONObject([
                                        (
                                            "workflow",
                                            .object(JSONObject([("ref", .string(ref)), ("repository", .string(repository)), ("path", .string(path))]))
                                        )
                                    ]))
                            ),
                            ("internalParameters", .object(JSONObject([("github", .object(JSONObject(github)))]))),
                            (
                                "resolvedDependencies",
                                .array([
                                    .object(
                                        JSONObject([
                                            ("uri", .string("git+\(repository)@\(ref)")),
                                            ("digest", .object(JSONObject([("gitCommit", .string(provenance[.sourceRepositoryDigest] ?? ""))]))),
                                        ]))
                                ])
                            ),
                        ]))
                ),
                (
                    "runDetails",
                    .object(
                        JSONObject([
                            ("builder", .object(JSONObject([("id", .string(provenance[.buildSignerURI] ?? ""))]))),
                            ("metadata", .object(JSONObject(metadata))),
                        ]))
                ),
            ]))
    }
}
