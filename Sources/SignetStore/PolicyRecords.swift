import SignetCore

/// One version of a policy as applied: its document exactly as given (so its lines stay the
/// lines its author wrote), the digest of its canonical form, who applied it and when. A
/// store keeps every version; the highest is the policy in force.
public struct PolicyRecord: Sendable, Hashable {
    public var name: String
    /// 1 for the first version of a name, then one more for each change.
    public var version: Int64
    /// `sha256:<hex>` of the document's RFC 8785 canonical form.
    public var digest: String
    public var document: [UInt8]
    public var appliedBy: String
    public var appliedAt: Timestamp

    public init(name: String, version: Int64, digest: String, document: [UInt8], appliedBy: String, appliedAt: Timestamp) {
        self.name = name
        self.version = version
        self.digest = digest
        self.document = document
        self.appliedBy = appliedBy
        self.appliedAt = appliedAt
    }
}

/// Policies, versioned. Signet's storage decides nothing about them: the policy engine reads
/// the documents.
public protocol PolicyStore: Sendable {
    /// Stores `policy` as the next version of its name (its `version` is ignored) with its
    /// audit event, in one transaction, and returns it as stored with `created` true. When the
    /// version in force already has the same digest, nothing is written and that version is
    /// returned with `created` false.
    func apply(_ policy: PolicyRecord, event: AuditEvent) async throws -> (policy: PolicyRecord, created: Bool)
    /// The version in force of every policy, by name.
    func currentPolicies() async throws -> [PolicyRecord]
    /// Every version of the policy `name`, oldest first.
    func policyVersions(name: String) async throws -> [PolicyRecord]
}
