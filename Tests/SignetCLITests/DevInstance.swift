import Foundation
import SignetCore
import SignetServer
import Testing

/// A `signet server --dev` on a fresh data directory, with its trust configuration exported
/// for the CLI: how the artifact, attestation, gate and admission stories begin.
struct DevInstance {
    let harness: CLIHarness
    let data: URL
    let server: ServerProcess
    /// The exported ClientTrustConfig.
    let trustPath: String

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

    static func with(_ body: (DevInstance) async throws -> Void) async throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        let data = harness.directory.appendingPathComponent("data")
        try await ServerProcess.with(data: data, arguments: ["--dev"]) { server in
            let trustPath = harness.directory.appendingPathComponent("trust.json").path
            let exported = try harness.run(["trust", "export", "--data", data.path, "--url", server.url, "--output", trustPath])
            try #require(exported.exitCode == 0, "\(exported.stderr)")
            try await body(DevInstance(harness: harness, data: data, server: server, trustPath: trustPath))
        }
    }
}
