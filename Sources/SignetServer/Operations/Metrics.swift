import Synchronization

/// The server's Prometheus metrics, rendered in the text exposition format (version 0.0.4):
/// requests and latency per route, the log's size and batch sizes, and what the CA and TSA
/// issued. Cheap to update from any task.
public final class Metrics: Sendable {
    /// Upper bounds of the latency histogram, in seconds.
    static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
    /// Upper bounds of the gate's decision-time histogram, in seconds.
    static let decisionBuckets: [Double] = [
        0.00001, 0.000025, 0.00005, 0.000075, 0.0001, 0.00015, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5,
    ]
    /// Upper bounds of the batch-size histogram.
    static let batchBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]

    struct Histogram {
        var counts: [UInt64]
        var sum: Double = 0
        var count: UInt64 = 0

        init(buckets: Int) { counts = Array(repeating: 0, count: buckets) }

        mutating func observe(_ value: Double, bounds: [Double]) {
            for (offset, bound) in bounds.enumerated() where value <= bound { counts[offset] += 1 }
            sum += value
            count += 1
        }
    }

    struct RequestKey: Hashable, Comparable {
        var route: String
        var method: String
        var status: Int

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.route, lhs.method, lhs.status) < (rhs.route, rhs.method, rhs.status)
        }
    }

    struct State {
        var requests: [RequestKey: UInt64] = [:]
        var latency: [String: Histogram] = [:]
        var batches = Histogram(buckets: Metrics.batchBuckets.count)
        var treeSize: Int64 = 0
        var issued: [String: UInt64] = [:]
        var alerts: [String: UInt64] = [:]
        var decisions = [Histogram(buckets: Metrics.decisionBuckets.count), Histogram(buckets: Metrics.decisionBuckets.count)]
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one answered request: `route` is the route pattern, never the raw path.
    public func observeRequest(route: String, method: String, status: Int, seconds: Double) {
        state.withLock {
            $0.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            $0.latency[route, default: Histogram(buckets: Self.latencyBuckets.count)].observe(seconds, bounds: Self.latencyBuckets)
        }
    }

    /// Records a committed log batch and the tree size after it.
    public func observeBatch(size: Int, treeSize: Int64) {
        state.withLock {
            $0.batches.observe(Double(size), bounds: Self.batchBuckets)
            $0.treeSize = treeSize
        }
    }

    /// Sets the log size (at start-up).
    public func setTreeSize(_ size: Int64) {
        state.withLock { $0.treeSize = size }
    }

    /// Counts one thing issued: `certificate` or `timestamp`.
    public func observeIssued(_ kind: String) {
        state.withLock { $0.issued[kind, default: 0] += 1 }
    }

    /// Counts one alert raised, by kind (`break-glass`).
    public func observeAlert(_ kind: String) {
        state.withLock { $0.alerts[kind, default: 0] += 1 }
    }

    /// Records one gate decision and the time it took in process (the evidence stamp read
    /// included): reused from the cache, or made by the policy engine.
    public func observeGateDecision(cached: Bool, seconds: Double) {
        state.withLock { $0.decisions[cached ? 0 : 1].observe(seconds, bounds: Self.decisionBuckets) }
    }

    /// The exposition text.
    public func render() -> String {
        let state = state.withLock { $0 }
        var out = "# HELP signet_http_requests_total HTTP requests answered, by route, method and status.\n# TYPE signet_http_requests_total counter\n"
        for (key, count) in state.requests.sorted(by: { $0.key < $1.key }) {
            out += "signet_http_requests_total{route=\"\(Self.escape(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(count)\n"
        }
        out += "# HELP signet_http_request_duration_seconds Time to answer a request, by route.\n# TYPE signet_http_request_duration_seconds histogram\n"
        for (route, histogram) in state.latency.sorted(by: { $0.key < $1.key }) {
            out += Self.render(histogram, name: "signet_http_request_duration_seconds", labels: "route=\"\(Self.escape(route))\",", bounds: Self.latencyBuckets)
        }
        out += "# HELP signet_log_tree_size Entries in the transparency log.\n# TYPE signet_log_tree_size gauge\nsignet_log_tree_size \(state.treeSize)\n"
        out += "# HELP signet_log_batch_size Entries committed per log batch (one transaction, one checkpoint).\n# TYPE signet_log_batch_size histogram\n"
        out += Self.render(state.batches, name: "signet_log_batch_size", labels: "", bounds: Self.batchBuckets)
        out += "# HELP signet_gate_decision_seconds Time to make or reuse one gate decision in process.\n# TYPE signet_gate_decision_seconds histogram\n"
        for (index, cache) in ["hit", "miss"].enumerated() {
            out += Self.render(state.decisions[index], name: "signet_gate_decision_seconds", labels: "cache=\"\(cache)\",", bounds: Self.decisionBuckets)
        }
        out += "# HELP signet_alerts_total Alerts raised, by kind.\n# TYPE signet_alerts_total counter\n"
        for kind in ["break-glass"] {
            out += "signet_alerts_total{kind=\"\(kind)\"} \(state.alerts[kind] ?? 0)\n"
        }
        out += "# HELP signet_issued_total Certificates and timestamps issued.\n# TYPE signet_issued_total counter\n"
        for kind in ["certificate", "timestamp"] {
            out += "signet_issued_total{kind=\"\(kind)\"} \(state.issued[kind] ?? 0)\n"
        }
        return out
    }

    private static func render(_ histogram: Histogram, name: String, labels: String, bounds: [Double]) -> String {
        var out = ""
        for (offset, bound) in bounds.enumerated() {
            out += "\(name)_bucket{\(labels)le=\"\(bound)\"} \(histogram.counts[offset])\n"
        }
        out += "\(name)_bucket{\(labels)le=\"+Inf\"} \(histogram.count)\n"
        let plain = labels.isEmpty ? "" : "{\(labels.dropLast())}"
        out += "\(name)_sum\(plain) \(histogram.sum)\n\(name)_count\(plain) \(histogram.count)\n"
        return out
    }

    private static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}

extension Duration {
    /// The duration in seconds, as metrics record it.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
