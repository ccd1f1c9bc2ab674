import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SignetCA
import SignetCore
import SignetIdentity
import SignetLog
import SignetPKCS11
import SignetPostgres
import SignetSQLite
import SignetStore
import SignetTSA

/// A Signet server: CA, transparency log and TSA in one process on one data directory.
public enum SignetServer {
    /// Opens (creating on first start) the instance under `configuration.dataDirectory` and
    /// wires its services: keys, store, CA, log, TSA and token verification.
    public static func services(
        configuration: ServerConfiguration, environment: [String: String], logger: Logger, timeSource: any TimeSource = SystemTimeSource()
    ) async throws -> SignetServices {
        try configuration.validate()
        let data = URL(fileURLWithPath: configuration.dataDirectory)
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Replicas may share the data directory (its keys): whoever starts first creates them,
        // under an exclusive lock, and the others load what it wrote.
        let startLock = try StartLock(directory: data)
        // The passphrase seals the instance's keys, unless they are in a token, and the
        // development identity provider's key.
        var passphrase: [UInt8] = []
        if configuration.keyStore == nil || configuration.development {
            let (resolved, origin) = try PassphraseSource.resolve(
                environment: environment, file: configuration.passphraseFile, dataDirectory: data, generateForDevelopment: configuration.development)
            logger.info("key passphrase", metadata: ["from": "\(origin)"])
            passphrase = resolved
        }
        let keySource: InstanceKeys.Source
        if let keyStore = configuration.keyStore {
            let token = try PKCS11Token(try PKCS11URI(keyStore), environment: environment)
            logger.info("instance keys in a PKCS #11 token", metadata: ["token": "\(token.uri)"])
            keySource = .token(token)
        } else {
            keySource = .sealed(passphrase: passphrase)
        }
        let keyDirectory = data.appendingPathComponent("keys")
        let keys = try await InstanceKeys.loadOrCreate(
            directory: keyDirectory, source: keySource, organization: configuration.organization, timeSource: timeSource)
        let store = try await openStore(url: configuration.store, dataDirectory: data, environment: environment, logger: logger)
        let publicURL = configuration.effectivePublicURL
        let host = URLComponents(string: publicURL)?.host ?? configuration.listenHost
        let metrics = Metrics()
        let log = LogService(
            storage: store,
            v1: try LogSigner(signer: keys.logV1, hostName: host, style: .rekorV1(treeID: keys.treeID)),
            v2: try LogSigner(signer: keys.logV2, hostName: host, style: .rekorV2),
            treeID: keys.treeID, maxBatchSize: configuration.maxBatchSize,
            observeBatch: { [metrics] entries, treeSize in metrics.observeBatch(size: entries, treeSize: treeSize) })
        metrics.setTreeSize(try await log.treeSize())
        let ca = try CertificateAuthority(
            chain: [keys.intermediateCertificate, keys.rootCertificate], signer: keys.intermediate, ctSigner: keys.ct,
            lifetimeSeconds: configuration.certificateLifetimeSeconds, timeSource: timeSource)
        let tsa = try TimestampAuthority(signer: keys.tsa, certificateChain: [keys.tsaCertificate, keys.tsaRootCertificate], timeSource: timeSource)

        var issuers = configuration.issuers.map { TrustedIssuer(url: $0.url, audience: $0.audience, profile: $0.profile) }
        var fixed: [String: JSONWebKeySet] = [:]
        for issuer in configuration.issuers {
            guard let file = issuer.jwksFile else { continue }
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file))) } catch {
                throw ServerConfiguration.ConfigurationError(
                    reason: "cannot read the key set file \(file) of issuer \(issuer.url): \(error.localizedDescription)")
            }
            fixed[issuer.url] = try JSONWebKeySet(jsonBytes: bytes)
        }
        var provider: DevelopmentIdentityProvider?
        var namespaces = configuration.namespaces
        namespaces.unownedNames = configuration.unownedNames ?? (configuration.development ? .firstRegistration : .refuse)
        if configuration.development {
            let development = try DevelopmentIdentityProvider.loadOrCreate(keyDirectory: keyDirectory, passphrase: passphrase, serverURL: publicURL)
            issuers.append(TrustedIssuer(url: development.issuer, profile: .development))
            fixed[development.issuer] = try development.keySet
            provider = development
            // Every development identity holds every scope in `default`, unless the
            // configuration says itself what the development issuer's identities may do.
            if !namespaces.rules.contains(where: { $0.issuer == development.issuer }) {
                namespaces.rules.append(
                    NamespacePolicy.Rule(namespace: DevelopmentIdentityProvider.namespace, issuer: development.issuer, scopes: Set(AccessScope.allCases)))
                namespaces.declared.insert(DevelopmentIdentityProvider.namespace)
            }
        }
        startLock.release()
        let discovery = DiscoveryJWKSSource()
        let keySources = IssuerKeySources(fixed: fixed, discovery: discovery)
        let tokens = TokenVerifier(issuers: issuers, keys: keySources, timeSource: timeSource)
        let trustConfig = try keys.publicMaterial.clientTrustConfig(serverURL: publicURL, organization: configuration.organization)
        var services = try SignetServices(
            publicURL: publicURL, ca: ca, tsa: tsa, log: log, tokens: tokens, store: store, metrics: metrics,
            trustedRoot: trustConfig.trustedRoot, trustConfigJSON: trustConfig.json.compactBytes(), developmentIdentityProvider: provider,
            namespaces: namespaces, timeSource: timeSource)
        if configuration.logAccepts == .instance {
            var registered: Set<[UInt8]> = []
            for file in configuration.logKeys {
                let pem: String
                do { pem = try String(contentsOfFile: file, encoding: .utf8) } catch {
                    throw ServerConfiguration.ConfigurationError(reason: "cannot read the log key \(file): \(error.localizedDescription)")
                }
                do { _ = try VerificationKey(pem: pem, context: file) } catch {
                    throw ServerConfiguration.ConfigurationError(reason: "logKeys: \(error)")
                }
                registered.insert(sha256(try PEM.decodeAll(pem, context: file)[0].der))
            }
            services.logRestriction = LogRestriction(issuer: keys.intermediateCertificate, registeredKeys: registered)
        }
        services.webSignIn = try webSignIn(configuration.webSignIn, development: provider, keys: keySources, publicURL: publicURL, timeSource: timeSource)
        return services
    }

    /// Sign-in to the web UI: the configured issuer and client, else (with `--dev`) the
    /// development identity provider's; none without either.
    private static func webSignIn(
        _ settings: ServerConfiguration.WebSignIn, development: DevelopmentIdentityProvider?, keys: IssuerKeySources, publicURL: String,
        timeSource: any TimeSource
    ) throws -> WebSignIn? {
        let issuer: String
        let clientID: String
        let profile: IssuerProfile
        if let configured = settings.issuer, let client = settings.clientID {
            (issuer, clientID, profile) = (configured, client, settings.profile)
        } else if let development {
            (issuer, clientID, profile) = (development.issuer, DevelopmentAuthorizations.clientID, .development)
        } else {
            return nil
        }
        var secret: String?
        if let file = settings.clientSecretFile {
            do { secret = try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines) } catch {
                throw ServerConfiguration.ConfigurationError(reason: "cannot read ui.clientSecretFile \(file): \(error.localizedDescription)")
            }
        }
        return WebSignIn(
            issuer: issuer, clientID: clientID, clientSecret: secret,
            tokens: TokenVerifier(issuers: [TrustedIssuer(url: issuer, audience: clientID, profile: profile)], keys: keys, timeSource: timeSource),
            discovery: keys.discovery, sessionLifetimeSeconds: settings.sessionLifetimeSeconds, secureCookies: publicURL.hasPrefix("https://"))
    }

    /// The router with every route and the error/metrics middleware. The middleware knows every
    /// route's methods (from a first router with the same routes), to answer 405 with `Allow`.
    public static func router(_ services: SignetServices) -> Router<SignetRequestContext> {
        let routes = AccessRoutes(router: Router(context: SignetRequestContext.self), services: services)
        addRoutes(services, to: routes)
        let router = Router(context: SignetRequestContext.self)
        router.add(middleware: APIMiddleware(metrics: services.metrics, methods: RouteMethods(routes.router.routes)))
        addRoutes(services, to: AccessRoutes(router: router, services: services))
        return router
    }

    /// Every route with who may call it, in the order they are added.
    static func routeTable(_ services: SignetServices) -> [AccessRoutes.Route] {
        let routes = AccessRoutes(router: Router(context: SignetRequestContext.self), services: services)
        addRoutes(services, to: routes)
        return routes.table
    }

    private static func addRoutes(_ services: SignetServices, to router: AccessRoutes) {
        services.addCertificateAuthorityRoutes(to: router)
        services.addRekorV1Routes(to: router)
        services.addRekorV2Routes(to: router)
        services.addTimestampRoutes(to: router)
        services.addOperationsRoutes(to: router)
        services.addOpenAPIRoutes(to: router)
        services.addDevelopmentIdentityRoutes(to: router)
        services.addArtifactRoutes(to: router)
        services.addPolicyRoutes(to: router)
        services.addGateRoutes(to: router)
        services.addAdmissionRoutes(to: router)
        services.addDeploymentRoutes(to: router)
        services.addComplianceRoutes(to: router)
        services.addWebUIRoutes(to: router)
    }

    /// Opens the store a server uses: the PostgreSQL database at `url` (`--store`), else the
    /// SQLite store in `dataDirectory` (created if missing; refused once `signet admin migrate`
    /// moved it). The one place the engine is chosen.
    public static func openStore(
        url: String?, dataDirectory: URL, environment: [String: String], logger: Logger = Logger(label: "signet.store")
    ) async throws -> any Store {
        if let url {
            return try await PostgresStore.open(try PostgresLocation(url: url, environment: environment), logger: logger)
        }
        try StoreMigration.refuseMoved(dataDirectory)
        return try SQLiteStore(path: dataDirectory.appendingPathComponent("signet.sqlite").path)
    }

    /// The application: the router on the configured address. ``serve(_:logger:)`` runs it until
    /// SIGTERM or SIGINT, then stops accepting connections and finishes in-flight requests
    /// (so every append in flight is committed and answered) before returning.
    public static func application(
        _ services: SignetServices, configuration: ServerConfiguration, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let requestTimeout = TimeAmount.seconds(configuration.requestTimeoutSeconds)
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [HTTPConnectionGuard(requestTimeout: requestTimeout, idleTimeout: .seconds(configuration.idleTimeoutSeconds))],
            idleTimeout: .seconds(configuration.idleTimeoutSeconds),
            httpDecoderConfiguration: .init(maxHeaderFieldSize: maxHeaderFieldBytes, maxHeaderListSize: maxHeaderBytes, maxHeaderFieldCount: maxHeaderFields))
        return Application(
            router: router(services),
            server: .http1(configuration: http),
            configuration: .init(
                address: .hostname(configuration.listenHost, port: configuration.listenPort), serverName: "signet",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Serves `application` until SIGTERM or SIGINT, then stops accepting connections, closes idle
    /// ones and lets in-flight requests finish for up to ``gracefulShutdownSeconds``; requests
    /// still running then are cancelled (their clients were answered nothing, so nothing
    /// acknowledged is lost) and the server returns once they end: one waiting on a store call
    /// ends within that call's deadline (30 s), one waiting on a log batch when the batch does.
    public static func serve(_ application: some ApplicationProtocol, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(gracefulShutdownSeconds)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// How long a stopping server waits for in-flight requests: longer than one store call may
    /// take (30 s), so a request held by a slow database still gets its answer.
    public static let gracefulShutdownSeconds: Int64 = 40

    /// The largest request line or header field, in bytes.
    static let maxHeaderFieldBytes = 16 * 1024
    /// The largest head (request line and every header field), in bytes.
    static let maxHeaderBytes = 32 * 1024
    /// The most header fields in one request.
    static let maxHeaderFields = 100
}
