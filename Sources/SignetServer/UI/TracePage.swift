import Hummingbird
import SignetCore
import SignetStore

/// The web UI's trace: code to cloud (`sourceRepositoryRef`) or cloud to code (`name`), drawn
/// as a picture (``TraceGraph``): repository → commit → workflow run → artifacts →
/// environments where each runs, over the namespaces the session may read.
extension SignetServices {
    func tracePage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        var page = HTMLPage()
        let readable = readableNamespaces(of: session.caller)
        let signatures: [SignatureRecord]
        let title: String
        if let nameText = request.query("name") {
            let name = try Self.artifactName(nameText)
            signatures = try await authorizeRead(session.caller, of: name) == nil ? [] : try await store.signatures(name: name)
            title = "Where \(name) came from"
        } else if let ref = request.query("sourceRepositoryRef") {
            signatures = try await store.signatures(SignatureFilter(namespaces: readable, sourceRepositoryRef: ref), after: nil, limit: 200)
            title = "Everything built from \(ref)"
        } else {
            page.raw("<h1>Trace</h1>")
            page.element("p", "Give an artifact (name=host/path@sha256:…) or a source ref (sourceRepositoryRef=refs/tags/v1.0.0).", class: "muted")
            return Self.html(page, title: "Trace", status: .badRequest, session: session)
        }
        page.element("h1", title)
        guard !signatures.isEmpty else {
            page.element("p", "No signature to trace.", class: "muted")
            return Self.html(page, title: "Trace", session: session)
        }
        let running = Dictionary(
            grouping: try await store.deployments(environment: nil, namespaces: readable, limit: Self.maxComplianceRows), by: \.name)
        var graph = TraceGraph()
        for signature in signatures where signature.attestation == nil {
            let provenance = signature.provenance.merging(signature.statedProvenance) { attested, _ in attested }
            let name = signature.name
            let artifact = TraceGraph.Node(
                label: name.description, shown: "\(name.path.split(separator: "/").last ?? "")@\(Hex.encode(name.digest).prefix(10))…",
                href: Self.artifactHref(name.description))
            let path: [TraceGraph.Node?] = [
                provenance[.sourceRepositoryURI].map { .init(label: $0, shown: $0.split(separator: "/").suffix(2).joined(separator: "/")) },
                provenance[.sourceRepositoryDigest].map { .init(label: $0, shown: String($0.prefix(12))) },
                (provenance[.runInvocationURI] ?? provenance[.buildConfigURI]).map { .init(label: $0) }, artifact,
            ]
            let environments = (running[signature.name] ?? []).map(\.environment).sorted()
            if environments.isEmpty {
                graph.add(path + [TraceGraph.Node(label: "not running")])
            }
            for environment in environments { graph.add(path + [TraceGraph.Node(label: environment)]) }
        }
        page.raw("<div class=\"scroll\">\(graph.svg(title: title))</div>")
        page.element("p", "Environments are where the gate admitted each artifact or a deployment recorded it.", class: "muted")
        return Self.html(page, title: "Trace", session: session)
    }
}
