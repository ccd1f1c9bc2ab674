import ArgumentParser

/// `signet bench`: benchmarks, recorded in docs/benchmarks.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Signet's throughput on this machine.",
        subcommands: []
    )
}
