import SignetCore
import X509

/// The outcome of verifying one bundle: every check that ran, in order, and either what was
/// verified or why verification failed.
public struct VerificationReport: Sendable {
    /// One step of the pipeline.
    public struct Check: Sendable, Hashable {
        /// A stable name: `bundle`, `trusted-time`, `certificate-chain`, `sct`, `identity`,
        /// `transparency-log`, `signature`, `entry-consistency`.
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    /// What a successful verification established.
    public struct Verified: Sendable {
        /// SAN identities of the signing certificate (empty for a managed key).
        public var identities: [String]
        public var issuer: String?
        public var certificate: Certificate?
        /// Each verified time with its source (`rfc3161` or `tlog-set`).
        public var times: [(source: String, time: Timestamp)]
        /// Log base URL and index of each verified entry.
        public var logEntries: [(log: String, index: Int64)]
        /// The in-toto statement, for DSSE bundles.
        public var statement: InTotoStatement?
    }

    public var checks: [Check]
    public var result: Result<Verified, VerificationError>

    public var isVerified: Bool {
        if case .success = result { return true }
        return false
    }
}

/// The record of checks made so far, filled in as the pipeline runs.
struct Transcript {
    var checks: [VerificationReport.Check] = []

    mutating func passed(_ name: String, _ detail: String) {
        checks.append(.init(name: name, passed: true, detail: detail))
    }

    /// Runs one named check, recording its failure before rethrowing it.
    mutating func check<T>(_ name: String, _ body: () throws(VerificationError) -> (T, String)) throws(VerificationError) -> T {
        do {
            let (value, detail) = try body()
            passed(name, detail)
            return value
        } catch {
            checks.append(.init(name: name, passed: false, detail: error.description))
            throw error
        }
    }
}
