import ArgumentParser
import Crypto
import Foundation
import SignetCore
import SignetVerify
import SignetVirtualPlatform

/// `signet-bench`: benchmarks whose figures are recorded in docs/benchmarks.md. A separate
/// executable, so the shipped `signet` carries no load generator and no in-process test
/// platform; it runs the `signet` built beside it (or `--signet PATH`) where a benchmark needs
/// the product's own process.
@main
struct SignetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signet-bench",
        abstract: "Measure Signet's throughput on this machine.",
        subcommands: [VerifyBenchCommand.self, BatchBenchCommand.self, SignBenchCommand.self, EndpointsBenchCommand.self, ArtifactsBenchCommand.self]
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
            SET and checkpoint, TSA), 6 signature checks per bundle (the trusted root's own chain \
            links are checked once, when it is read); (b) optionally a public-good bundle \
            given with --public-good-bundle. Each figure is the median of --samples runs.
            """
    )

    @Option(help: "Seconds per sample.") var seconds = 2.0
    @Option(help: "Samples per figure; the median is reported.") var samples = 5
    @Option(help: "A public-good bundle to measure as case (b).") var publicGoodBundle: String?
    @Option(help: "Its trusted root.") var publicGoodTrustedRoot: String?
    @Option(help: "Its artifact.") var publicGoodArtifact: String?
    @Option(help: "Its certificate identity.")
    var publicGoodIdentity =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    @Option(help: "Its OIDC issuer.") var publicGoodIssuer = "https://token.actions.githubusercontent.com"
    @Option(help: "Runs of the `signet verify-bundle` process to time.") var processRuns = 21
    @OptionGroup var signet: SignetBinary

    func run() async throws {
        let signetExecutable = try signet.executable()
        print("signet-bench verify: \(samples) samples of \(seconds)s, one core; within a sample, 50 ms blocks of raw signature")
        print("checks and of bundle verifications alternate, and the ratio is the median of the per-sample ratios")

        let platform = try VirtualPlatform(referenceTime: Timestamp(.now))
        var options = VirtualPlatform.SigningOptions()
        options.timestamp = true
        let artifactBytes = Array("benchmark artifact\n".utf8)
        let bundle = try await platform.signBlob(artifactBytes, options: options)
        var cases = [
            BenchCase(
                name: "(a) Signet keyless, P-256 throughout", bundleBytes: bundle.json.compactBytes(),
                verifier: try BundleVerifier(trustedRoot: platform.trustedRoot()),
                artifact: Artifact(bytes: artifactBytes), policy: .identity(VirtualPlatform.LeafOptions().identity, issuer: VirtualPlatform.issuer),
                checks: (p256: 6, p384: 0))
        ]

        var processTarget: (bundle: String, root: String, artifact: String, identity: String, issuer: String)?
        if let path = publicGoodBundle, let rootPath = publicGoodTrustedRoot, let artifactPath = publicGoodArtifact {
            let root = try TrustedRoot(jsonBytes: Array(try Data(contentsOf: URL(fileURLWithPath: rootPath))))
            cases.append(
                BenchCase(
                    name: "(b) public-good \(URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent)",
                    bundleBytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), verifier: try BundleVerifier(trustedRoot: root),
                    artifact: Artifact(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: artifactPath)))),
                    policy: .identity(publicGoodIdentity, issuer: publicGoodIssuer), checks: (p256: 4, p384: 1)))
            processTarget = (path, rootPath, artifactPath, publicGoodIdentity, publicGoodIssuer)
        }
        for bench in cases {
            let first = bench.verifier.verify(try SigstoreBundle(jsonBytes: bench.bundleBytes), artifact: bench.artifact, policy: bench.policy)
            guard first.isVerified else {
                throw BenchFailure("\(bench.name) does not verify: \(first.result)")
            }
        }

        let p256 = try RawSignature.p256()
        let p384 = try RawSignature.p384()
        var raw256: [Double] = []
        var raw384: [Double] = []
        var rates = Array(repeating: [Double](), count: cases.count)
        var ratios = Array(repeating: [Double](), count: cases.count)
        for _ in 0..<samples {
            raw256.append(measure(p256.check))
            if cases.contains(where: { $0.checks.p384 > 0 }) { raw384.append(measure(p384.check)) }
            for (index, bench) in cases.enumerated() {
                let sample = try pairedSample(bench, p256: p256, p384: p384)
                rates[index].append(sample.rate)
                ratios[index].append(sample.ratio)
            }
        }
        print(
            String(format: "raw ECDSA P-256 verify: %.0f/s%@", raw256.median, raw384.isEmpty ? "" : String(format: "   P-384 verify: %.0f/s", raw384.median)))
        for (index, bench) in cases.enumerated() {
            let ceiling = rates[index].median / ratios[index].median
            let checks = bench.checks.p384 > 0 ? "\(bench.checks.p256) x P-256 + \(bench.checks.p384) x P-384" : "\(bench.checks.p256) x P-256"
            print(
                String(
                    format: "%@: %.0f bundles/s; ceiling %.0f/s (%@); ratio %.2f (per-sample ratios %@)", bench.name, rates[index].median, ceiling, checks,
                    ratios[index].median, ratios[index].map { String(format: "%.2f", $0) }.joined(separator: " ")))
        }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let target =
            processTarget ?? (
                directory.appendingPathComponent("bundle.json").path, directory.appendingPathComponent("root.json").path,
                directory.appendingPathComponent("artifact").path, VirtualPlatform.LeafOptions().identity, VirtualPlatform.issuer
            )
        if processTarget == nil {
            try Data(bundle.json.compactBytes()).write(to: URL(fileURLWithPath: target.bundle))
            try Data(try platform.trustedRoot().json.compactBytes()).write(to: URL(fileURLWithPath: target.root))
            try Data(artifactBytes).write(to: URL(fileURLWithPath: target.artifact))
        }
        let wall = try processWallTime(target, executable: signetExecutable)
        print(
            String(
                format: "one `signet verify-bundle` process (%@): median %.1f ms wall over %d runs (goal: < 30 ms)",
                processTarget == nil ? "case (a)" : "case (b)", wall * 1000, processRuns))
    }

    struct BenchCase {
        var name: String
        var bundleBytes: [UInt8]
        var verifier: BundleVerifier
        var artifact: Artifact
        var policy: VerificationPolicy
        /// The signature checks one bundle needs, by curve.
        var checks: (p256: Int, p384: Int)
    }

    /// One ECDSA signature check through the same code path the verifier uses (DER signature
    /// parsing included), for the ceiling.
    struct RawSignature {
        var check: () -> Void

        static func p256() throws -> RawSignature {
            let key = P256.Signing.PrivateKey()
            let hashed = SHA256.hash(data: Array("raw".utf8))
            let digest = Array(hashed)
            let signature = Array(try key.signature(for: hashed).derRepresentation)
            let verificationKey = try VerificationKey(spki: Array(key.publicKey.derRepresentation))
            return RawSignature { precondition(verificationKey.isValidSignature(signature, digest: digest)) }
        }

        /// P-384 with SHA-384, as the public-good CA chain uses.
        static func p384() throws -> RawSignature {
            let key = P384.Signing.PrivateKey()
            let message = Array("raw".utf8)
            let signature = Array(try key.signature(for: message).derRepresentation)
            let verificationKey = try VerificationKey(spki: Array(key.publicKey.derRepresentation))
            return RawSignature { precondition(verificationKey.isValidSignature(signature, message: message, hash: .sha384)) }
        }
    }

    /// One paired sample: for `seconds`, alternate blocks of about 50 ms of the raw signature
    /// checks one bundle needs and of full verifications (bundle JSON parsed each time), so that
    /// both see the same machine while each runs warm. Returns the bundle rate and the ratio of
    /// the time the raw checks take to the time a bundle takes.
    private func pairedSample(_ bench: BenchCase, p256: RawSignature, p384: RawSignature) throws -> (rate: Double, ratio: Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let block = Duration.milliseconds(50)
        var rawTime = Duration.zero
        var bundleTime = Duration.zero
        var rawRounds = 0
        var bundles = 0
        while (clock.now - start) < .seconds(seconds) {
            let rawStart = clock.now
            while clock.now - rawStart < block {
                for _ in 0..<bench.checks.p256 { p256.check() }
                for _ in 0..<bench.checks.p384 { p384.check() }
                rawRounds += 1
            }
            rawTime += clock.now - rawStart
            let bundleStart = clock.now
            while clock.now - bundleStart < block {
                let bundle = try SigstoreBundle(jsonBytes: bench.bundleBytes)
                precondition(bench.verifier.verify(bundle, artifact: bench.artifact, policy: bench.policy).isVerified)
                bundles += 1
            }
            bundleTime += clock.now - bundleStart
        }
        let rate = Double(bundles) / bundleTime.inSeconds
        let ceiling = Double(rawRounds) / rawTime.inSeconds
        return (rate, rate / ceiling)
    }

    private func measure(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var count = 0
        while (clock.now - start) < .seconds(seconds) {
            for _ in 0..<100 { body() }
            count += 100
        }
        return Double(count) / (clock.now - start).inSeconds
    }

    /// Median wall time of running `signet verify-bundle` (`executable`) as a separate process.
    private func processWallTime(_ target: (bundle: String, root: String, artifact: String, identity: String, issuer: String), executable: URL) throws -> Double
    {
        var times: [Double] = []
        for _ in 0..<processRuns {
            let process = Process()
            process.executableURL = executable
            process.arguments = [
                "verify-bundle", "--bundle", target.bundle, "--certificate-identity", target.identity,
                "--certificate-oidc-issuer", target.issuer, "--trusted-root", target.root, target.artifact,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let clock = ContinuousClock()
            let start = clock.now
            try process.run()
            process.waitUntilExit()
            times.append((clock.now - start).inSeconds)
            guard process.terminationStatus == 0 else {
                throw BenchFailure("verify-bundle exited \(process.terminationStatus)")
            }
        }
        return times.median
    }
}
