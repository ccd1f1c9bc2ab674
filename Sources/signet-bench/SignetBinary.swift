import ArgumentParser
import Foundation

/// The `signet` executable a benchmark runs: `--signet PATH`, else the `signet` built beside
/// this `signet-bench` (SwiftPM puts both products in one directory).
struct SignetBinary: ParsableArguments {
    @Option(help: "The signet executable to run (default: the signet beside signet-bench).") var signet: String?

    func executable() throws -> URL {
        let url =
            signet.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("signet")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ValidationError(
                "expected an executable signet at \(url.path) (build it with `swift build --product signet`, or pass --signet PATH), found none")
        }
        return url
    }
}

/// A benchmark that cannot go on: what it expected and what it found.
struct BenchFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
