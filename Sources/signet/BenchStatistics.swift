extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension Array where Element == Double {
    /// The nearest-rank percentile `p` (0 < p ≤ 1) of these values, which must be sorted; NaN when empty.
    func percentile(_ p: Double) -> Double {
        isEmpty ? .nan : self[Swift.max(0, Swift.min(count - 1, Int((Double(count) * p).rounded(.up)) - 1))]
    }
}
