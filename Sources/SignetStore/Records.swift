import SignetCore

/// A certificate the CA issued: who it was for, from which issuer, with which provenance.
public struct IssuedCertificate: Sendable, Hashable {
    /// Lowercase hex of the serial number.
    public var serial: String
    public var identity: String
    public var issuer: String
    /// Provenance extension values by their OID's dotted form.
    public var provenance: [String: String]
    public var issuedAt: Timestamp
    public var der: [UInt8]

    public init(serial: String, identity: String, issuer: String, provenance: [String: String], issuedAt: Timestamp, der: [UInt8]) {
        self.serial = serial
        self.identity = identity
        self.issuer = issuer
        self.provenance = provenance
        self.issuedAt = issuedAt
        self.der = der
    }
}

/// One audit event: who did what to which subject, when, from where, and in which namespace.
public struct AuditEvent: Sendable, Hashable {
    public var time: Timestamp
    public var actor: String
    public var action: String
    public var subject: String
    /// Where the request came from (a client address), or `local` for the CLI.
    public var origin: String
    public var detail: String
    /// The namespace the subject belongs to, which decides who may read the event; nil for an
    /// event of the instance as a whole (an organisation-wide policy, a certificate issued
    /// outside the artifact API, a subject no namespace owns).
    public var namespace: String?

    public init(time: Timestamp, actor: String, action: String, subject: String, origin: String, detail: String, namespace: String? = nil) {
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.origin = origin
        self.detail = detail
        self.namespace = namespace
    }
}
