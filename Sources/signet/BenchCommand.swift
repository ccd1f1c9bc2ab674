import ArgumentParser
import Crypto
import Foundation
import SignetCore
import SignetVerify
import SignetVirtualPlatform

/// `signet bench`: benchmarks whose figures are recorded in docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Signet's throughput on this machine.",
        subcommands: [VerifyBenchCommand.self]
    )
}

/// Bundles verified per second, in process and on one core, against the crypto ceiling
/// measured in the same run.
struct VerifyBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Measure in-process verification throughput against the raw signature-verify ceiling.",
        discussion: """
            (a) a keyless bundle made in process with P-256 keys throughout (CA chain, SCT, log \
            SET and checkpoint, TSA), 8 signature checks; (b) optionally a public-good bundle \
            given with --public-good-bundle. Each figure is the median of --samples runs.
            """
    )

    @Option(help: "Seconds per sample.") var seconds = 2.0
    @Option(help: "Samples per figure; the median is reported.") var samples = 5
    @Option(help: "A public-good bundle to measure as case (b).") var publicGoodBundle: String?
    @Option(help: "Its trusted root.") var publicGoodTrustedRoot: String?
    @Option(help: "Its artifact.") var publicGoodArtifact: String?
    @Option(help: "Its certificate identity.")
    var publicGoodIdentity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    @Option(help: "Its OIDC issuer.") var publicGoodIssuer = "https://token.actions.githubusercontent.com"
    @Option(help: "Runs of the `signet verify-bundle` process to time.") var processRuns = 21

    func run() async throws {
        print("signet bench verify: \(samples) samples of \(seconds)s, one core, median reported")

        let p256 = try rawP256Rate()
        let p384 = try rawP384Rate()
        print(String(format: "raw ECDSA P-256 verify: %.0f/s   P-384 verify: %.0f/s", p256, p384))

        let platform = try VirtualPlatform(referenceTime: Timestamp(.now))
        var options = VirtualPlatform.SigningOptions()
        options.timestamp = true
        let artifactBytes = Array("benchmark artifact\n".utf8)
        let bundle = try platform.signBlob(artifactBytes, options: options)
        let verifier = try BundleVerifier(trustedRoot: platform.trustedRoot())
        let signetCase = BenchCase(
            name: "(a) Signet keyless, P-256 throughout", bundleBytes: bundle.json.compactBytes(), verifier: verifier,
            artifact: Artifact(bytes: artifactBytes), policy: .identity(VirtualPlatform.LeafOptions().identity, issuer: VirtualPlatform.issuer),
            ceiling: p256 / 8, checks: "8 x P-256")
        try await report(signetCase)

        var processCase: (bundle: String, root: String, artifact: String, identity: String, issuer: String)?
        if let path = publicGoodBundle, let rootPath = publicGoodTrustedRoot, let artifactPath = publicGoodArtifact {
            let root = try TrustedRoot(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: rootPath))))
            let publicCase = BenchCase(
                name: "(b) public-good \(URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent)",
                bundleBytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), verifier: try BundleVerifier(trustedRoot: root),
                artifact: Artifact(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: artifactPath)))),
                policy: .identity(publicGoodIdentity, issuer: publicGoodIssuer),
                ceiling: 1 / (4 / p256 + 2 / p384), checks: "4 x P-256 + 2 x P-384")
            try await report(publicCase)
            processCase = (path, rootPath, artifactPath, publicGoodIdentity, publicGoodIssuer)
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = processCase ?? (
            directory.appendingPathComponent("bundle.json").path, directory.appendingPathComponent("root.json").path,
            directory.appendingPathComponent("artifact").path, VirtualPlatform.LeafOptions().identity, VirtualPlatform.issuer)
        if processCase == nil {
            try Data(bundle.json.compactBytes()).write(to: URL(fileURLWithPath: target.bundle))
            try Data(try platform.trustedRoot().json.compactBytes()).write(to: URL(fileURLWithPath: target.root))
            try Data(artifactBytes).write(to: URL(fileURLWithPath: target.artifact))
        }
        let wall = try processWallTime(target)
        print(String(format: "one `signet verify-bundle` process (%@): median %.1f ms wall over %d runs (goal: < 30 ms)", processCase == nil ? "case (a)" : "case (b)", wall * 1000, processRuns))
    }

    struct BenchCase {
        var name: String
        var bundleBytes: [UInt8]
        var verifier: BundleVerifier
        var artifact: Artifact
        var policy: VerificationPolicy
        var ceiling: Double
        var checks: String
    }

    /// Verifies the case repeatedly (parsing the bundle JSON each time) and prints the median rate.
    private func report(_ bench: BenchCase) async throws {
        let first = await bench.verifier.verify(try SigstoreBundle(jsonBytes: bench.bundleBytes), artifact: bench.artifact, policy: bench.policy)
        guard first.isVerified else {
            throw CommandFailure(exitCode: SignetExit.verificationFailed, message: "\(bench.name) does not verify: \(first.result)")
        }
        var rates: [Double] = []
        for _ in 0..<samples {
            let clock = ContinuousClock()
            let start = clock.now
            var count = 0
            while (clock.now - start) < .seconds(seconds) {
                for _ in 0..<20 {
                    let bundle = try SigstoreBundle(jsonBytes: bench.bundleBytes)
                    let report = await bench.verifier.verify(bundle, artifact: bench.artifact, policy: bench.policy)
                    precondition(report.isVerified)
                }
                count += 20
            }
            rates.append(Double(count) / (clock.now - start).seconds)
        }
        let rate = median(rates)
        print(String(format: "%@: %.0f bundles/s; ceiling %.0f/s (%@); ratio %.2f", bench.name, rate, bench.ceiling, bench.checks, rate / bench.ceiling))
    }

    /// The median rate of verifying one ECDSA signature over a SHA-256 digest, through the same
    /// code path the verifier uses (DER signature parsing included).
    private func rawP256Rate() throws -> Double {
        let p256 = P256.Signing.PrivateKey()
        let hashed = SHA256.hash(data: Array("raw".utf8))
        let digest = Array(hashed)
        let signature = Array(try p256.signature(for: hashed).derRepresentation)
        let verificationKey = try VerificationKey(spki: Array(p256.publicKey.derRepresentation))
        return try measure { precondition(verificationKey.isValidSignature(signature, digest: digest)) }
    }

    /// The same for P-384 with SHA-384, as the public-good CA chain uses.
    private func rawP384Rate() throws -> Double {
        let p384 = P384.Signing.PrivateKey()
        let message = Array("raw".utf8)
        let signature = Array(try p384.signature(for: message).derRepresentation)
        let verificationKey = try VerificationKey(spki: Array(p384.publicKey.derRepresentation))
        return try measure { precondition(verificationKey.isValidSignature(signature, message: message, hash: .sha384)) }
    }

    private func measure(_ body: () throws -> Void) throws -> Double {
        var rates: [Double] = []
        for _ in 0..<samples {
            let clock = ContinuousClock()
            let start = clock.now
            var count = 0
            while (clock.now - start) < .seconds(seconds) {
                for _ in 0..<100 { try body() }
                count += 100
            }
            rates.append(Double(count) / (clock.now - start).seconds)
        }
        return median(rates)
    }

    /// Median wall time of running this binary's `verify-bundle` as a separate process.
    private func processWallTime(_ target: (bundle: String, root: String, artifact: String, identity: String, issuer: String)) throws -> Double {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var times: [Double] = []
        for _ in 0..<processRuns {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["verify-bundle", "--bundle", target.bundle, "--certificate-identity", target.identity,
                                 "--certificate-oidc-issuer", target.issuer, "--trusted-root", target.root, target.artifact]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let clock = ContinuousClock()
            let start = clock.now
            try process.run()
            process.waitUntilExit()
            times.append((clock.now - start).seconds)
            guard process.terminationStatus == 0 else {
                throw CommandFailure(exitCode: SignetExit.verificationFailed, message: "verify-bundle exited \(process.terminationStatus)")
            }
        }
        return median(times)
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

extension Duration {
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
