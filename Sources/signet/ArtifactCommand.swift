import ArgumentParser
import AsyncHTTPClient
import Foundation
import SignetClient
import SignetCore
import SignetVerify

/// `signet artifact`: signatures by artifact name.
struct ArtifactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifact",
        abstract: "Sign, verify, revoke, list and show artifacts by digest-pinned name.",
        subcommands: [
            ArtifactSignCommand.self, ArtifactAttestCommand.self, ArtifactVerifyCommand.self, ArtifactRevokeCommand.self, ArtifactListCommand.self,
            ArtifactShowCommand.self,
        ]
    )
}

/// Which server, with what trust and which credential.
struct RegistryOptions: ParsableArguments {
    @Option(help: "The Signet server (default: the CA named by the trust configuration).") var server: String?
    @Option(help: "The ClientTrustConfig (default: SIGNET_TRUST_CONFIG, else the one `signet trust init` stored).") var trustConfig: String?
    @Option(help: "An OIDC identity token (default: SIGNET_IDENTITY_TOKEN, else the CI's ambient token).") var identityToken: String?
    @Option(help: "A Signet API key instead of a token (default: SIGNET_API_KEY).") var apiKey: String?

    func trust() throws(CommandFailure) -> ClientTrustConfig {
        try ClientTrust.load(path: trustConfig)
    }

    /// The server: `--server`, else the origin of the trust configuration's CA.
    func serverURL(_ trust: ClientTrustConfig?) throws(CommandFailure) -> String {
        try Self.serverURL(server, trust: trust)
    }

    /// `server`, else the origin of the trust configuration's CA.
    static func serverURL(_ server: String?, trust: ClientTrustConfig?) throws(CommandFailure) -> String {
        if let server { return try checkedURL(server, option: "--server") }
        guard let ca = trust?.signingConfig.caURLs.first?.url, var components = URLComponents(string: ca) else {
            throw .unusable("no server: pass --server URL, or run `signet trust init --server URL`")
        }
        components.path = ""
        return components.string ?? ca
    }

    /// The credential: the API key, else the token from the flag, the environment or the CI
    /// (GitHub Actions' ID-token endpoint, GitLab's SIGSTORE_ID_TOKEN). Writes need one; so do
    /// reads, which answer only what the credential may read.
    func credential(required: Bool) async throws(CommandFailure) -> String? {
        try await Self.credential(apiKey: apiKey, identityToken: identityToken, required: required)
    }

    /// The credential from these flags, the environment or the CI, as above.
    static func credential(apiKey: String?, identityToken: String?, required: Bool) async throws(CommandFailure) -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let key = apiKey ?? environment["SIGNET_API_KEY"], !key.isEmpty { return key }
        if let token = identityToken ?? environment["SIGNET_IDENTITY_TOKEN"], !token.isEmpty { return token }
        if let token = try await AmbientToken.fetch(environment: environment) { return token }
        guard !required else {
            throw .unusable(
                "no credential: pass --identity-token or --api-key, set SIGNET_IDENTITY_TOKEN or SIGNET_API_KEY, or run in a CI that provides an ID token")
        }
        return nil
    }

    func client(_ trust: ClientTrustConfig?, credential: String?) throws(CommandFailure) -> ArtifactClient {
        ArtifactClient(server: try serverURL(trust), credential: credential)
    }
}

/// `text` if it is an http or https URL with a host; otherwise a message saying what to give.
func checkedURL(_ text: String, option: String) throws(CommandFailure) -> String {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
        let host = components.host, !host.isEmpty
    else {
        let hint = text.contains("://") ? "" : " (it has no scheme: add http:// or https://)"
        throw .unusable("\(option): expected a URL such as https://signet.example.com or http://127.0.0.1:8080, found \"\(text)\"\(hint)")
    }
    return text
}

/// The CI's ambient OIDC token, audience `sigstore`.
enum AmbientToken {
    static func fetch(environment: [String: String]) async throws(CommandFailure) -> String? {
        if let token = environment["SIGSTORE_ID_TOKEN"], !token.isEmpty { return token }
        guard let url = environment["ACTIONS_ID_TOKEN_REQUEST_URL"], let bearer = environment["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], !url.isEmpty, !bearer.isEmpty
        else { return nil }
        var request = HTTPClientRequest(url: url + (url.contains("?") ? "&" : "?") + "audience=sigstore")
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let bytes = Array(buffer: try await response.body.collect(upTo: 64 << 10))
            guard response.status == .ok, case .object(let object) = try JSONParser().parse(bytes, context: "token"), case .string(let token)? = object["value"]
            else {
                throw CommandFailure(
                    exitCode: SignetExit.signingFailed,
                    message:
                        "GitHub Actions' ID-token endpoint answered \(response.status.code) without a token; does the job have `permissions: id-token: write`?")
            }
            return token
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(exitCode: SignetExit.signingFailed, message: "cannot fetch GitHub Actions' ID token: \(error)")
        }
    }
}

/// The provenance flags: stated values when signing, required values when verifying.
struct ProvenanceOptions: ParsableArguments {
    @Option(help: "The source ref (refs/tags/v1.0.0, refs/heads/main).") var sourceRepositoryRef: String?
    @Option(help: "The source repository URI.") var sourceRepository: String?
    @Option(help: "The source commit digest.") var sourceRepositoryDigest: String?
    @Option(help: "The source repository owner URI.") var sourceRepositoryOwner: String?
    @Option(help: "The build configuration (the workflow file's URI).") var buildConfigName: String?
    @Option(help: "The build configuration's digest.") var buildConfigDigest: String?
    @Option(help: "The runner environment (github-hosted, self-hosted).") var runnerEnvironment: String?

    var values: [FulcioExtension: String] {
        let pairs: [(FulcioExtension, String?)] = [
            (.sourceRepositoryRef, sourceRepositoryRef), (.sourceRepositoryURI, sourceRepository), (.sourceRepositoryDigest, sourceRepositoryDigest),
            (.sourceRepositoryOwnerURI, sourceRepositoryOwner), (.buildConfigURI, buildConfigName), (.buildConfigDigest, buildConfigDigest),
            (.runnerEnvironment, runnerEnvironment),
        ]
        var values: [FulcioExtension: String] = [:]
        for case (let field, let value?) in pairs { values[field] = value }
        return values
    }
}

/// The artifact's name: `--name`, pinned by digest, or `--file` (with `--name REPOSITORY`, or
/// alone for `localhost/files/<file name>`) pinned by the file's digest.
struct NameOptions: ParsableArguments {
    @Option(help: "The artifact: host[:port]/path@sha256:<64 hex>.") var name: String?
    @Option(help: "A file whose SHA-256 pins the name (with --name REPOSITORY, or alone for localhost/files/<file name>).") var file: String?

    func artifactName() throws(CommandFailure) -> ArtifactName {
        guard let file else {
            guard let name else { throw .unusable("no artifact: pass --name host/path@sha256:<digest>, or --file PATH") }
            return try Self.parse(name)
        }
        guard let digest = try InputFiles.artifact(at: file).digests[.sha256] else { throw .unusable("no SHA-256 digest of \(file)") }
        let repository: String
        if let name {
            guard !name.contains("@") else { throw .unusable("--file pins the name by the file's digest: pass --name as host/path without @sha256:") }
            repository = name
        } else {
            let base = URL(fileURLWithPath: file).lastPathComponent.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." ? $0 : "-" }
            repository = "localhost/files/" + String(base).trimmingCharacters(in: CharacterSet(charactersIn: ".-"))
        }
        return try Self.parse("\(repository)@sha256:\(Hex.encode(digest))")
    }

    static func parse(_ text: String) throws(CommandFailure) -> ArtifactName {
        do { return try ArtifactName(parsing: text) } catch { throw .unusable(error.reason) }
    }
}

extension ArtifactClient.Registration {
    var lines: String {
        "  \(predicateType == nil ? "signature" : "attestation") \(id)\n  namespace \(namespace)\n  log index \(logIndex)\n  \(url)"
    }
}

extension ArtifactVerifier.Signature {
    /// A signature as the server lists it: the namespace it is registered in and the
    /// provenance its signer stated come from the server's summary.
    init(id: String, bundle: SigstoreBundle, summary: JSONValue) {
        var namespace: String?
        var stated: [FulcioExtension: String] = [:]
        if case .object(let object) = summary {
            namespace = SignatureLines.string(object["namespace"])
            if case .object(let members)? = object["statedProvenance"] {
                for member in members.members {
                    if let field = FulcioExtension(fieldName: member.name), case .string(let value) = member.value { stated[field] = value }
                }
            }
        }
        self.init(id: id, bundle: bundle, namespace: namespace, statedProvenance: stated)
    }
}
