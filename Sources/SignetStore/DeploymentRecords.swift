import SignetCore

/// What runs where: an artifact admitted to an environment by the gate, or recorded there by
/// a deployment without a gate (`signet deploy record`). One row per environment and name,
/// first and last seen; the inventory the compliance queries read.
public struct DeploymentRecord: Sendable, Hashable {
    /// How the deployment became known.
    public enum Source: String, Sendable, Hashable {
        /// The gate admitted it (`/admit`, a batch, an admission review).
        case gate
        /// A deployment said so.
        case record

        /// The source a store row names; anything else is a row no write of Signet's made.
        public init(stored text: String) throws(FormatError) {
            guard let source = Self(rawValue: text) else {
                throw FormatError(.invalidValue, at: "deployment.source", "expected gate or record, found \(ProtoJSONObject.preview(text))")
            }
            self = source
        }
    }

    public var environment: String
    public var name: ArtifactName
    public var namespace: String
    /// The signature the admission rested on, if any.
    public var signatureID: String?
    public var source: Source
    /// Who admitted or recorded it last.
    public var actor: String
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp

    public init(
        environment: String, name: ArtifactName, namespace: String, signatureID: String?, source: Source, actor: String, firstSeen: Timestamp,
        lastSeen: Timestamp
    ) {
        self.environment = environment
        self.name = name
        self.namespace = namespace
        self.signatureID = signatureID
        self.source = source
        self.actor = actor
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// The deployment inventory.
public protocol DeploymentStore: Sendable {
    /// Records each deployment, in one transaction: a new environment and name is added; a
    /// known one keeps its first sighting and takes the rest from the record.
    func record(deployments: [DeploymentRecord]) async throws
    /// The deployments in `environment` (every environment if nil) of `namespaces` (every one
    /// if nil), by environment then name, at most `limit` (up to 10,000).
    func deployments(environment: String?, namespaces: [String]?, limit: Int) async throws -> [DeploymentRecord]
}
