import ArgumentParser
import Foundation
import SignetVerify

/// `signet verify-bundle`: the sigstore-conformance client protocol. Exit status only matters;
/// one line on stdout or stderr says why.
struct VerifyBundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-bundle",
        abstract: "Verify a bundle (sigstore-conformance protocol): exit 0 when verified."
    )

    @OptionGroup var options: VerificationOptions

    @Argument(help: "The artifact: a file, or sha256:<64 hex>.")
    var fileOrDigest: String

    func validate() throws {
        try options.validateSigner()
        guard options.bundle != nil else { throw ValidationError("give --bundle FILE") }
    }

    func run() async throws {
        await Signet.exiting {
            let bundlePath = try options.requiredBundle()
            let bundle = try InputFiles.bundle(bundlePath)
            let root = try InputFiles.trustedRoot(path: options.trustedRoot, trustConfig: nil, staging: options.staging)
            let artifact = try InputFiles.artifact(argument: fileOrDigest)
            let policy = try options.policy()
            let verifier: BundleVerifier
            do { verifier = try BundleVerifier(trustedRoot: root) } catch { throw CommandFailure.unusable("\(error)") }
            let report = verifier.verify(bundle, artifact: artifact, policy: policy)
            switch report.result {
            case .success: print("OK: \(bundlePath)")
            case .failure(let error): FileHandle.standardError.write(Data("FAIL: \(error)\n".utf8))
            }
            return report.exitCode
        }
    }
}
