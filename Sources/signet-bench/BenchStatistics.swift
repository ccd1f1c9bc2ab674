import Foundation

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension Array where Element == Double {
    /// The median of these values; NaN when empty.
    var median: Double {
        let sorted = self.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The nearest-rank percentile `p` (0 < p ≤ 1) of these values, which must be sorted; NaN when empty.
    func percentile(_ p: Double) -> Double {
        isEmpty ? .nan : self[Swift.max(0, Swift.min(count - 1, Int((Double(count) * p).rounded(.up)) - 1))]
    }
}

/// CPU time (user + system) consumed so far, in seconds, by this process or by another
/// process of this machine (from `/proc/PID/stat`, fields 14 and 15; nil where unreadable).
enum ProcessCPUTime {
    static func ofSelf() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func of(pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // Fields after the parenthesized command name start at field 3 (state).
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// A crypto ceiling: how many rounds of `round` (the public-key operations one request or
/// flow needs, and nothing else) every core can run per second. Median of five 200 ms
/// samples on one core, times the cores.
func roundsPerSecondOnAllCores(_ round: () -> Void) -> Double {
    var samples: [Double] = []
    for _ in 0..<5 {
        let start = ContinuousClock.now
        var rounds = 0
        while ContinuousClock.now - start < .milliseconds(200) {
            round()
            rounds += 1
        }
        samples.append(Double(rounds) / (ContinuousClock.now - start).inSeconds)
    }
    return samples.sorted()[samples.count / 2] * Double(ProcessInfo.processInfo.activeProcessorCount)
}
