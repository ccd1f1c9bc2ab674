import ArgumentParser
import Foundation

/// Batch verification of public-good bundles by `signet verify --manifest` (one process, every
/// core) against sigstore-python's in-process rate, measured alternately in the same run.
struct BatchBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Measure `signet verify --manifest` on public-good bundles against sigstore-python's in-process rate.",
        discussion: """
            Each sample runs one `signet verify --manifest` process over --entries entries (the \
            bundle and artifact given, read and verified anew for each entry) and then \
            sigstore-python (scripts/sigstore-python-rate.py in --python) for as long as that \
            process took; the ratio is the median of the per-sample ratios of the two rates.
            """
    )

    @Option(help: "The public-good bundle.") var bundle: String
    @Option(help: "Its trusted root.") var trustedRoot: String
    @Option(help: "Its artifact.") var artifact: String
    @Option(help: "Its certificate identity.")
    var identity =
        "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
    @Option(help: "Its OIDC issuer.") var issuer = "https://token.actions.githubusercontent.com"
    @Option(help: "Entries in the manifest.") var entries = 4000
    @Option(help: "Samples; the median is reported.") var samples = 5
    @Option(help: "A Python with sigstore 4.5.1 installed.") var python = ".build/interop-venv/bin/python"
    @Option(help: "The sigstore-python rate script.") var script = "scripts/sigstore-python-rate.py"
    @OptionGroup var signet: SignetBinary

    func run() async throws {
        let executable = try signet.executable()
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchFailure("expected a Python with sigstore 4.5.1 at \(python) (.ci/interop makes one), found none")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-bench-batch-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let absolute = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.path }
        let entry = #"{"file": "\#(absolute(artifact))", "bundle": "\#(absolute(bundle))"}"#
        let manifest = directory.appendingPathComponent("manifest.json")
        try Data(("[" + Array(repeating: entry, count: entries).joined(separator: ",\n") + "]").utf8).write(to: manifest)

        print(
            "signet-bench batch: \(samples) samples; \(entries) entries per `signet verify --manifest` process on \(ProcessInfo.processInfo.activeProcessorCount) cores,"
        )
        print("then sigstore-python 4.5.1 in process (one core: Python verifies on one thread) for as long")
        var signetRates: [Double] = []
        var pythonRates: [Double] = []
        var ratios: [Double] = []
        for _ in 0..<samples {
            let start = ContinuousClock.now
            let output = try Self.run(
                executable.path,
                [
                    "verify", "--manifest", manifest.path, "--trusted-root", trustedRoot, "--certificate-identity", identity,
                    "--certificate-oidc-issuer", issuer, "--format", "json",
                ])
            let elapsed = (ContinuousClock.now - start).inSeconds
            guard output.contains(#""passed":\#(entries),"failed":0"#) else {
                throw BenchFailure("expected every entry verified, found \(output.prefix(300))")
            }
            let signetRate = Double(entries) / elapsed
            let answer = try Self.run(python, [script, bundle, trustedRoot, artifact, identity, issuer, String(format: "%.2f", max(elapsed, 1))])
            guard let rateText = answer.split(separator: "\"rate\": ").last, let pythonRate = Double(rateText.prefix { $0.isNumber || $0 == "." }),
                pythonRate > 0
            else {
                throw BenchFailure("expected sigstore-python's rate as JSON, found \(answer.prefix(300))")
            }
            signetRates.append(signetRate)
            pythonRates.append(pythonRate)
            ratios.append(signetRate / pythonRate)
        }
        print(
            String(
                format: "signet verify --manifest: %.0f bundles/s; sigstore-python 4.5.1: %.0f/s; ratio %.2f (per-sample ratios %@)", signetRates.median,
                pythonRates.median, ratios.median, ratios.map { String(format: "%.2f", $0) }.joined(separator: " ")))
    }

    /// Runs a process to completion and returns its standard output; a failure is the benchmark's.
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let bytes = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: bytes, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw BenchFailure("\(URL(fileURLWithPath: executable).lastPathComponent) exited \(process.terminationStatus): \(text.prefix(300))")
        }
        return text
    }
}
