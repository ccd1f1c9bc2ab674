import Foundation
import SignetCore
import SignetServer
import Testing

/// A `signet server --dev` on a fresh data directory, with its trust configuration exported
/// for the CLI: how the artifact, attestation, gate and admission stories begin. Every CLI run
/// reads with the development identity (``reader``, in SIGNET_IDENTITY_TOKEN), which a
/// development server grants every scope in its namespace; a run's own `--identity-token`
/// or `--api-key` wins over it.
struct DevInstance {
    let harness: CLIHarness
    let data: URL
    let server: ServerProcess
    /// The exported ClientTrustConfig.
    let trustPath: String
    /// A token of the development identity: every scope in the namespace `default`.
    let reader: String

    var url: String { server.url }
    /// The development identity provider's issuer.
    var issuer: String { url + DevelopmentIdentityProvider.path }
    /// The options every CLI call against the instance takes.
    var common: [String] { ["--trust-config", trustPath, "--server", url] }

    /// A GitHub-Actions-shaped development token for a build of `repository` at `ref`.
    func token(repository: String = "acme/app", ref: String, sha: String) throws -> String {
        try ArtifactStoryTests.token(harness, data: data.path, server: url, repository: repository, ref: ref, sha: sha)
    }

    /// The exported trust configuration, as the client reads it.
    func trust() throws -> ClientTrustConfig {
        try ClientTrustConfig(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: trustPath))))
    }

    /// Runs `body` against a fresh instance, started with `configuration` (a `--config`
    /// document, written to `config.json` in the harness's directory) if given.
    static func with(configuration: String? = nil, _ body: (DevInstance) async throws -> Void) async throws {
        var harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        let config = try configuration.map { try harness.write("config.json", Array($0.utf8)) }
        try await ServerProcess.with(data: data, arguments: ["--dev"] + (config.map { ["--config", $0] } ?? [])) { server in
            let trustPath = harness.directory.appendingPathComponent("trust.json").path
            let exported = try harness.run(["trust", "export", "--data", data.path, "--url", server.url, "--output", trustPath])
            try #require(exported.exitCode == 0, "\(exported.stderr)")
            let minted = try harness.run(
                ["auth", "dev-token", "--data", data.path, "--server", server.url, "--lifetime", "3600"],
                environment: ["SIGNET_KEY_PASSPHRASE": ServerProcess.passphrase])
            try #require(minted.exitCode == 0, "\(minted.stderr)")
            let reader = minted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            harness.environment["SIGNET_IDENTITY_TOKEN"] = reader
            try await body(DevInstance(harness: harness, data: data, server: server, trustPath: trustPath, reader: reader))
        }
    }
}
