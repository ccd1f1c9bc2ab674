import Foundation
import SignetCA
import SignetCore
import SignetIdentity
import SignetLog
import SignetPolicy
import SignetStore
import SignetTSA
import SignetVerify

/// Everything the routes use, wired once at start-up: the CA, the log, the TSA, the token
/// verifier, the store and the metrics. The routes hold no state of their own.
public struct SignetServices: Sendable {
    public let publicURL: String
    public let ca: CertificateAuthority
    public let tsa: TimestampAuthority
    public let log: LogService
    public let tokens: TokenVerifier
    public let store: any Store
    public let metrics: Metrics
    /// The ClientTrustConfig served at `/api/v1/trust/config`, serialized once.
    public let trustConfigJSON: [UInt8]
    /// The development identity provider, with `--dev` only.
    public let developmentIdentityProvider: DevelopmentIdentityProvider?
    public let timeSource: any TimeSource
    /// Who may act in which namespace.
    public let namespaces: NamespacePolicy
    /// The one verification engine, with this instance's own trusted root: registrations and
    /// verification by name go through it.
    public let artifactVerifier: ArtifactVerifier
    /// The one policy engine, over the same verifier: the gate decides with it.
    public let policyEngine: PolicyEngine
    /// Policies read from the store, parsed once per digest.
    let policyDocuments: PolicyDocumentCache
    /// The gate's decisions, reused while their evidence is unchanged.
    let verdicts = VerdictCache()
    /// The namespaces names were first registered into, which never change.
    let nameOwners = NameOwnerCache()
    /// The admissions this replica last wrote to the deployment inventory.
    let deploymentSightings = DeploymentSightings()
    /// The entries the log takes from outside, when restricted to this instance's.
    var logRestriction: LogRestriction?
    /// Sign-in to the web UI, when configured (or with `--dev`).
    var webSignIn: WebSignIn?
    /// Audit events of reads (verification by name), group-committed.
    let auditEvents: GroupCommit<AuditEvent>
    /// Deployments the gate admitted, group-committed.
    let deploymentRecords: GroupCommit<DeploymentRecord>
    /// Issued certificates and their audit events, group-committed.
    let certificateRecords: GroupCommit<(certificate: IssuedCertificate, event: AuditEvent)>

    public init(
        publicURL: String, ca: CertificateAuthority, tsa: TimestampAuthority, log: LogService, tokens: TokenVerifier, store: any Store,
        metrics: Metrics, trustedRoot: TrustedRoot, trustConfigJSON: [UInt8], developmentIdentityProvider: DevelopmentIdentityProvider?,
        namespaces: NamespacePolicy, timeSource: any TimeSource
    ) throws {
        self.publicURL = publicURL
        self.ca = ca
        self.tsa = tsa
        self.log = log
        self.tokens = tokens
        self.store = store
        self.metrics = metrics
        self.trustConfigJSON = trustConfigJSON
        self.developmentIdentityProvider = developmentIdentityProvider
        self.timeSource = timeSource
        self.namespaces = namespaces
        self.artifactVerifier = ArtifactVerifier(verifier: try BundleVerifier(trustedRoot: trustedRoot))
        self.policyEngine = PolicyEngine(
            verifier: artifactVerifier,
            releaseAuthority: PolicyEngine.ReleaseAuthority(identity: ReleaseRequest.authorityIdentity(server: publicURL), issuer: publicURL))
        self.policyDocuments = PolicyDocumentCache()
        self.auditEvents = GroupCommit { [store] in try await store.record(events: $0) }
        self.certificateRecords = GroupCommit { [store] in try await store.record($0) }
        self.deploymentRecords = GroupCommit { [store] in try await store.record(deployments: $0) }
    }
}
