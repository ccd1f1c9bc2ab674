import Foundation
import Testing

/// The README's first command verifies the committed example; keep it true.
@Suite("The README's example")
struct ExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples")
    static let arguments = [
        "--bundle", "examples/app-1.0.0.txt.sigstore.json",
        "--certificate-identity", "https://github.com/example/app/.github/workflows/release.yml@refs/tags/v1.0.0",
        "--certificate-oidc-issuer", "https://token.actions.githubusercontent.com",
        "--trusted-root", "examples/trusted_root.json",
    ]

    @Test("signet verify examples/app-1.0.0.txt … verifies, and a changed byte does not")
    func readmeCommand() throws {
        let harness = try CLIHarness()
        defer { harness.remove() }
        try FileManager.default.copyItem(at: Self.examples, to: harness.directory.appendingPathComponent("examples"))
        let result = try harness.run(["verify", "examples/app-1.0.0.txt"] + Self.arguments)
        #expect(result.exitCode == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("Verified examples/app-1.0.0.txt"))

        var content = try Array(Data(contentsOf: Self.examples.appendingPathComponent("app-1.0.0.txt")))
        content[0] ^= 0x20
        try harness.write("examples/app-1.0.0.txt", content)
        let tampered = try harness.run(["verify", "examples/app-1.0.0.txt"] + Self.arguments)
        #expect(tampered.exitCode == 1)
    }
}
