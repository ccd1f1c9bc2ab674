import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore
import SignetVerify
import X509

/// The web UI, rendered on the server: artifacts with search and filters, an artifact's page
/// (provenance, certificate, timestamps, log entry with its inclusion proof, revocations, each
/// signature re-verified with this instance's trust), the log, and the audit trail. Every page
/// needs a signed-in session (``WebSignIn``) and shows only what its identity may read, as the
/// API would answer it.
extension SignetServices {
    func addWebUIRoutes(to routes: AccessRoutes) {
        routes.open(.get, "/") { _, _ in Response(status: .seeOther, headers: [.location: "/ui/artifacts"]) }
        routes.open(.get, "/ui") { _, _ in Response(status: .seeOther, headers: [.location: "/ui/artifacts"]) }
        routes.open(.get, "/ui/login") { request, _ in
            try await self.signInStep(request.query("next")) { try await self.beginSignIn($0, next: request.query("next")) }
        }
        routes.open(.get, Self.webCallbackPath) { request, context in
            try await self.signInStep(nil) { try await self.finishSignIn($0, request, origin: context.origin) }
        }
        routes.open(.post, "/ui/logout") { request, context in
            try await self.signInStep(nil) { try await self.signOut($0, request, origin: context.origin) }
        }
        routes.open(.get, "/ui/signed-out") { _, _ in
            var page = HTMLPage()
            page.raw("<h1>Signed out</h1><p>\(HTMLPage.link("/ui/login", "Sign in again"))</p>")
            return Self.html(page, title: "Signed out")
        }
        routes.page("/ui/artifacts", anyOf: RouteAccess.reading) { request, _, session in try await self.artifactsPage(request, session) }
        routes.page("/ui/artifact", anyOf: RouteAccess.reading) { request, _, session in try await self.artifactPage(request, session) }
        routes.page("/ui/log", anyOf: RouteAccess.reading) { request, _, session in try await self.logPage(request, session) }
        routes.page("/ui/audit", anyOf: [.audit]) { request, _, session in try await self.auditPage(request, session) }
        routes.page("/ui/trace", anyOf: RouteAccess.reading) { request, _, session in try await self.tracePage(request, session) }
        routes.page("/ui/compliance", anyOf: [.audit]) { request, _, session in try await self.compliancePage(request, session) }
    }

    /// A step of signing in, with its failures shown as pages: sign-in not configured (503),
    /// an answer that belongs to no sign-in of this browser (400), a refusal (401 or 403), an
    /// identity provider out of reach (503).
    private func signInStep(_ next: String?, _ step: (WebSignIn) async throws -> Response) async throws -> Response {
        var page = HTMLPage()
        guard let webSignIn else {
            page.raw("<h1>Sign-in is not configured</h1>")
            page.element(
                "p", "This server has no identity provider for its web UI: set ui.issuer and ui.clientID in its configuration (or run it with --dev).")
            return Self.html(page, title: "Sign-in", status: .serviceUnavailable)
        }
        let status: HTTPResponse.Status
        let reason: String
        do { return try await step(webSignIn) } catch let error as WebSignInError {
            switch error {
            case .mismatched(let text): (status, reason) = (.badRequest, text)
            case .refused(let text): (status, reason) = (.unauthorized, text)
            case .unavailable(let text): (status, reason) = (.serviceUnavailable, text)
            }
        } catch let error as APIError where error.status.code < 500 {
            (status, reason) = (error.status, "\(error.code): \(error.message)")
        }
        page.raw("<h1>Not signed in</h1>")
        page.element("p", reason)
        page.raw("<p>\(HTMLPage.link("/ui/login?next=\(HTMLPage.queryValue(Self.safeNext(next)))", "Sign in"))</p>")
        return Self.html(page, title: "Not signed in", status: status)
    }

    /// A page refusing what the session may not see.
    func refusalPage(_ refusal: APIError, session: WebSessionState) -> Response {
        var page = HTMLPage()
        page.raw("<h1>Not permitted</h1>")
        page.element("p", "Signed in as \(session.caller.actor) (\(session.caller.issuer)): \(refusal.message)")
        return Self.html(page, title: "Not permitted", status: refusal.status, session: session)
    }

    static func html(_ page: HTMLPage, title: String, status: HTTPResponse.Status = .ok, session: WebSessionState? = nil) -> Response {
        Response.bytes(
            Array(page.document(title: title, signedIn: session.map { ($0.caller.actor, $0.csrf) }).utf8), status: status,
            contentType: "text/html; charset=utf-8",
            headers: [.contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'"])
    }

    static func artifactHref(_ name: String) -> String { "/ui/artifact?name=\(HTMLPage.queryValue(name))" }

    private func artifactsPage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        var page = HTMLPage()
        let search = request.query("q") ?? ""
        if !search.isEmpty, search.contains("@"), let name = try? ArtifactName(parsing: search) {
            return Response(status: .seeOther, headers: [.location: Self.artifactHref(name.description)])
        }
        var filter = SignatureFilter()
        filter.repositoryPrefix = search.isEmpty ? nil : search
        let namespace = request.query("namespace")
        filter.namespaces = try readableNamespaces(of: session.caller, selecting: namespace)
        filter.sourceRepositoryRef = request.query("ref")
        let status = request.query("status")
        filter.status = status.flatMap(SignatureFilter.Status.init(rawValue:))
        page.raw("<h1>Artifacts</h1>")
        page.raw(
            """
            <form method="get" action="/ui/artifacts" role="search">
            <input type="search" name="q" value="\(HTMLPage.escape(search))" placeholder="name@sha256:…, host/path, or a prefix ending in /" aria-label="Search">
            <input type="text" name="namespace" value="\(HTMLPage.escape(namespace ?? ""))" placeholder="namespace" aria-label="Namespace">
            <input type="text" name="ref" value="\(HTMLPage.escape(filter.sourceRepositoryRef ?? ""))" placeholder="refs/tags/v1.0.0" aria-label="Source ref">
            <select name="status" aria-label="Status"><option value="">any status</option>\(SignatureFilter.Status.allCases.map { "<option value=\"\($0.rawValue)\"\(filter.status == $0 ? " selected" : "")>\($0.rawValue)</option>" }.joined())</select>
            <button type="submit">Search</button></form>
            """)
        let signatures = try await store.signatures(filter, after: request.query("after"), limit: 50)
        guard !signatures.isEmpty else {
            page.element("p", "No signed artifacts match.", class: "muted")
            return Self.html(page, title: "Artifacts", session: session)
        }
        page.raw(
            "<div class=\"scroll\"><table><thead><tr><th>Artifact</th><th>Namespace</th><th>Latest ref</th><th>Latest signed</th><th>Evidence</th><th>Status</th></tr></thead><tbody>"
        )
        // One row per artifact, newest first, from this page of signatures.
        var order: [ArtifactName] = []
        let byName = Dictionary(grouping: signatures, by: \.name)
        for signature in signatures where !order.contains(signature.name) { order.append(signature.name) }
        for name in order {
            let group = byName[name] ?? []
            let plain = group.filter { $0.attestation == nil }
            let latest = plain.first ?? group[0]
            page.raw("<tr><td>\(HTMLPage.artifactLink(Self.artifactHref(name.description), name.description))</td>")
            page.element("td", latest.namespace)
            if let ref = latest.sourceRepositoryRef {
                page.raw("<td>\(HTMLPage.link("/ui/trace?sourceRepositoryRef=\(HTMLPage.queryValue(ref))", ref))</td>")
            } else {
                page.element("td", "—")
            }
            page.element("td", latest.signedAt.rfc3339)
            let types = Set(group.compactMap(\.attestation?.predicateType)).sorted().map { (try? PredicateType(parsing: $0))?.shortName ?? $0 }
            page.element("td", "\(plain.count) signature\(plain.count == 1 ? "" : "s")" + (types.isEmpty ? "" : "; " + types.joined(separator: ", ")))
            if plain.contains(where: { $0.revocation == nil }) {
                page.raw("<td class=\"ok\">active</td></tr>")
            } else if let revocation = plain.compactMap(\.revocation).first {
                page.raw("<td class=\"bad\">revoked \(HTMLPage.escape(revocation.time.rfc3339))</td></tr>")
            } else {
                page.raw("<td class=\"muted\">attested only</td></tr>")
            }
        }
        page.raw("</tbody></table></div>")
        if signatures.count == 50, let last = signatures.last {
            var query = [("after", last.id)]
            for case (let key, let value?) in [
                ("q", search.isEmpty ? nil : search), ("namespace", namespace), ("ref", filter.sourceRepositoryRef), ("status", status),
            ] { query.append((key, value)) }
            page.raw("<p>\(HTMLPage.link("/ui/artifacts?" + query.map { "\($0.0)=\(HTMLPage.queryValue($0.1))" }.joined(separator: "&"), "Older →"))</p>")
        }
        return Self.html(page, title: "Artifacts", session: session)
    }

    private func artifactPage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        var page = HTMLPage()
        let name: ArtifactName
        do { name = try ArtifactName(parsing: try request.requiredQuery("name")) } catch {
            page.raw("<h1>Not an artifact name</h1>")
            page.element("p", "\(error)")
            return Self.html(page, title: "Not an artifact name", status: .badRequest, session: session)
        }
        let owner = try await authorizeRead(session.caller, of: name)
        let signatures = owner == nil ? [] : try await store.signatures(name: name)
        let revocations = try await store.revocations(name: name)
        page.element("h1", name.description)
        guard !signatures.isEmpty else {
            page.element("p", "No signature for this name.", class: "muted")
            return Self.html(page, title: name.description, status: .notFound, session: session)
        }
        let plain = signatures.filter { $0.attestation == nil }
        // The answer first: may it run, in each environment a policy names, and why.
        let environments = Set(try await policiesInForce().compactMap(\.scope.environment)).sorted()
        if !environments.isEmpty {
            page.element("h2", "May it run?")
            page.raw("<div class=\"scroll\"><table class=\"verdicts\"><thead><tr><th>Environment</th><th>Verdict</th><th>Why</th></tr></thead><tbody>")
            for environment in environments {
                let decision = try await decide(name.description, environment: environment)
                page.raw("<tr>")
                page.element("td", environment)
                page.raw(
                    "<td class=\"\(decision.allowed ? "ok" : "bad")\">\(decision.allowed ? "admitted" : "refused") (\(HTMLPage.escape(decision.code.rawValue)))</td>"
                )
                page.element("td", decision.message)
                page.raw("</tr>")
            }
            page.raw("</tbody></table></div>")
        }
        try await releaseSection(name, into: &page)
        let running = try await store.deployments(environment: nil, namespaces: owner.map { [$0] }, limit: Self.maxComplianceRows).filter { $0.name == name }
        page.raw(
            "<p>Runs in: \(running.isEmpty ? "nowhere known" : running.map { HTMLPage.escape("\($0.environment) (\($0.source.rawValue), since \($0.firstSeen.rfc3339))") }.joined(separator: ", ")). \(HTMLPage.link("/ui/trace?name=\(HTMLPage.queryValue(name.description))", "Trace it"))</p>"
        )
        // Attestations by type: "slsa-provenance ×2, https://example.com/custom ×1".
        let attestationSummary = Dictionary(grouping: signatures.compactMap(\.attestation?.predicateType), by: { $0 })
            .sorted { $0.key < $1.key }.map { "\(Self.typeLabel($0.key)) ×\($0.value.count)" }.joined(separator: ", ")
        if let latest = plain.last {
            page.element("h2", "Latest signature")
            page.facts([
                ("Signer", latest.identity), ("Source ref", latest.sourceRepositoryRef), ("Signed at", latest.signedAt.rfc3339),
                ("Status", latest.revocation.map { "revoked at \($0.time.rfc3339) by \($0.actor): \($0.reason)" } ?? "active"),
            ])
        }
        page.facts([
            ("Repository", name.repository), ("Digest", "sha256:\(Hex.encode(name.digest))"), ("Namespace", owner ?? "none (no namespace owns this name)"),
            ("Signatures", "\(plain.count), \(plain.filter { $0.revocation != nil }.count) revoked"),
            ("Attestations", attestationSummary.isEmpty ? "none" : attestationSummary),
        ])
        let statements = revocations.map(\.statement)
        page.element("h2", "Evidence")
        for signature in signatures.reversed() {
            page.raw("<section class=\"card\">")
            let bundle: SigstoreBundle?
            if let attestation = signature.attestation {
                page.element("h2", "Attestation \(Self.typeLabel(attestation.predicateType)), \(signature.id.prefix(16))…")
                bundle = try? await attestationBundle(signature)
            } else {
                page.element("h2", "Signature \(signature.id.prefix(16))…")
                bundle = try? SigstoreBundle(jsonBytes: signature.bundle)
            }
            var verified: VerificationReport.Verified?
            if let bundle {
                // The evidence is checked as it stands, revocations aside: a revoked
                // signature keeps what proved it, and says it was revoked.
                let report = artifactVerifier.verify(
                    name: name, owner: owner ?? "",
                    signatures: [.init(id: signature.id, bundle: bundle, namespace: signature.namespace, statedProvenance: signature.statedProvenance)],
                    revocations: [], policy: VerificationPolicy(signer: .certificate(identity: .any, issuer: signature.issuer)), now: timeSource.now())
                switch report.signatures[0].report.result {
                case .success(let value):
                    verified = value
                    if let revocation = RevocationStatement.covering(statements, name: name, sourceRepositoryRef: signature.sourceRepositoryRef) {
                        page.raw(
                            "<p class=\"bad\">Revoked at \(HTMLPage.escape(revocation.time.rfc3339)) by \(HTMLPage.escape(revocation.actor)): \(HTMLPage.escape(revocation.reason)). Its evidence, below, verified with this instance's trust.</p>"
                        )
                    } else {
                        page.raw("<p class=\"ok\">Verified with this instance's trust: chain, SCT, signature, timestamps, log inclusion, not revoked.</p>")
                    }
                case .failure(let error):
                    page.raw("<p class=\"bad\">Does not verify: \(HTMLPage.escape(error.code.rawValue)): \(HTMLPage.escape(error.reason))</p>")
                }
            }
            if let revocation = signature.revocation {
                page.element("h3", "Revocation")
                page.facts([
                    ("Revoked by", revocation.actor), ("At", revocation.time.rfc3339), ("Reason", revocation.reason.isEmpty ? "—" : revocation.reason),
                    ("Source ref", revocation.sourceRepositoryRef), ("Log index", revocation.logIndex.map(String.init)),
                ])
            }
            // Attested values as they are; a stated one says so.
            let p = Dictionary(
                uniqueKeysWithValues: FulcioExtension.allCases.compactMap { field in
                    (signature.provenance[field] ?? signature.statedProvenance[field].map { "\($0) (stated by the signer)" }).map { (field, $0) }
                })
            page.element("h3", "Signer")
            page.facts([
                ("Identity", signature.identity), ("Issuer", signature.issuer), ("Signed at", signature.signedAt.rfc3339), ("Signature id", signature.id),
            ])
            page.element("h3", "Source")
            page.facts([
                ("Repository", p[.sourceRepositoryURI]), ("Commit", p[.sourceRepositoryDigest]), ("Ref", p[.sourceRepositoryRef]),
                ("Owner", p[.sourceRepositoryOwnerURI]), ("Visibility", p[.sourceRepositoryVisibility]),
            ])
            page.element("h3", "Build")
            page.facts([
                ("Build configuration", p[.buildConfigURI]), ("Configuration digest", p[.buildConfigDigest]), ("Build signer", p[.buildSignerURI]),
                ("Signer digest", p[.buildSignerDigest]), ("Trigger", p[.buildTrigger]), ("Runner", p[.runnerEnvironment]), ("Run", p[.runInvocationURI]),
            ])
            if let der = bundle?.signer.leafCertificate, let certificate = try? Certificate(derEncoded: der) {
                page.element("h3", "Certificate")
                page.facts([
                    ("Subject alternative name", (try? certificate.sanIdentities().joined(separator: ", ")) ?? "—"),
                    ("Issued by", certificate.issuer.description),
                    ("Serial", Hex.encode(certificate.serialNumber.bytes)), ("Valid from", Timestamp(certificate.notValidBefore).rfc3339),
                    ("Valid until", Timestamp(certificate.notValidAfter).rfc3339),
                ])
            }
            if let verified, !verified.times.isEmpty {
                page.element("h3", "Timestamps")
                page.facts(verified.times.map { ($0.source, $0.time.rfc3339) })
            }
            if let entry = bundle?.tlogEntries.first {
                page.element("h3", "Transparency log entry")
                page.facts([
                    ("Log index", String(entry.logIndex)), ("Kind", "\(entry.kind) \(entry.version)"),
                    ("Integrated", entry.integratedTime > 0 ? Timestamp(seconds: entry.integratedTime).rfc3339 : nil),
                    ("Tree size", entry.inclusionProof.map { String($0.treeSize) }), ("Root hash", entry.inclusionProof.map { Hex.encode($0.rootHash) }),
                    ("Inclusion proof", entry.inclusionProof.map { $0.hashes.map(Hex.encode).joined(separator: "\n") }),
                ])
                if let checkpoint = entry.inclusionProof?.checkpoint { page.element("pre", checkpoint) }
                page.raw("<p>\(HTMLPage.link("/ui/log?index=\(entry.logIndex)", "Entry \(entry.logIndex) in the log"))</p>")
            }
            page.raw("</section>")
        }
        if !revocations.isEmpty {
            page.element("h2", "Revocations")
            page.raw("<div class=\"scroll\"><table><thead><tr><th>Source ref</th><th>By</th><th>At</th><th>Reason</th><th>Log index</th></tr></thead><tbody>")
            for revocation in statements {
                page.raw("<tr>")
                for cell in [
                    revocation.sourceRepositoryRef, revocation.actor, revocation.time.rfc3339, revocation.reason, revocation.logIndex.map(String.init) ?? "—",
                ] { page.element("td", cell) }
                page.raw("</tr>")
            }
            page.raw("</tbody></table></div>")
        }
        return Self.html(page, title: name.description, session: session)
    }

    /// The name's release requests, newest first: their status, who approved in which role and
    /// what the quorum still lacks, counted by the one rule from the approval bundles.
    private func releaseSection(_ name: ArtifactName, into page: inout HTMLPage) async throws {
        let now = timeSource.now()
        let requests = try await releases(of: name, now: now)
        guard !requests.isEmpty else { return }
        page.element("h2", "Release requests")
        page.raw(
            "<div class=\"scroll\"><table class=\"releases\"><thead><tr><th>Environment</th><th>Status</th><th>Approved by</th><th>Missing</th><th>Requested by</th><th>Expires</th></tr></thead><tbody>"
        )
        for (_, request, tally) in requests {
            let status = Self.status(request, tally: tally, now: now)
            page.raw("<tr>")
            page.element("td", request.environment + (request.breakGlass ? " (break glass: \(request.reason))" : ""))
            page.raw("<td class=\"\(status == "approved" ? "ok" : status == "open" ? "muted" : "bad")\">\(HTMLPage.escape(status))</td>")
            page.element(
                "td",
                tally.counted.isEmpty
                    ? "nobody yet" : tally.counted.map { "\($0.approver) as \($0.role)\($0.decision == .reject ? " (rejected)" : "")" }.joined(separator: ", "))
            page.element("td", tally.missing.isEmpty ? "—" : tally.missing.joined(separator: ", "))
            page.element("td", request.requester)
            page.element("td", request.expiresAt.rfc3339)
            page.raw("</tr>")
        }
        page.raw("</tbody></table></div>")
    }

    private func logPage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        var page = HTMLPage()
        page.raw("<h1>Transparency log</h1>")
        let head = try await log.signedTreeHead(log.v2)
        page.facts([("Entries", String(head.size)), ("Root hash", Hex.encode(head.rootHash)), ("Tree ID", String(log.treeID))])
        page.element("h2", "Latest checkpoint")
        page.element("pre", head.note)
        page.raw(
            """
            <form method="get" action="/ui/log"><input type="number" name="index" min="0" placeholder="entry index" aria-label="Entry index" value="\(HTMLPage.escape(request.query("index") ?? ""))"><button type="submit">Look up</button></form>
            """)
        if let text = request.query("index") {
            guard let index = Int64(text), index >= 0, let answer = try await log.lookup(index: index, api: .rekorV1) else {
                page.element("p", "No entry at index \(text.prefix(40)).", class: "bad")
                return Self.html(page, title: "Log", status: .notFound, session: session)
            }
            let entry = answer.entry
            page.element("h2", "Entry \(entry.logIndex)")
            page.facts([
                ("Kind", "\(entry.kind) \(entry.version)"), ("Integrated", Timestamp(seconds: entry.integratedTime).rfc3339),
                ("Leaf hash", Hex.encode(Merkle.leafHash(entry.canonicalizedBody))),
                (
                    "Inclusion proof",
                    entry.inclusionProof.map {
                        "tree size \($0.treeSize), root \(Hex.encode($0.rootHash))\n" + $0.hashes.map(Hex.encode).joined(separator: "\n")
                    }
                ),
            ])
            page.element("pre", String(decoding: entry.canonicalizedBody, as: UTF8.self))
        }
        return Self.html(page, title: "Log", session: session)
    }

    private func auditPage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        var page = HTMLPage()
        page.raw("<h1>Audit trail</h1>")
        let events = try await store.latestAuditEvents(namespaces: auditableNamespaces(of: session.caller), limit: 200)
        page.element("p", "The latest \(events.count) events, newest first: who did what, when and from where.", class: "muted")
        page.raw(
            "<div class=\"scroll\"><table><thead><tr><th>Time</th><th>Who</th><th>What</th><th>Subject</th><th>From</th><th>Detail</th></tr></thead><tbody>")
        for event in events {
            page.raw("<tr>")
            for cell in [event.time.rfc3339, event.actor, event.action, event.subject, event.origin, event.detail] { page.element("td", cell) }
            page.raw("</tr>")
        }
        page.raw("</tbody></table></div>")
        return Self.html(page, title: "Audit", session: session)
    }
}

extension SignetServices {
    /// A predicate type as people read it: its short name with the URI, or the URI.
    static func typeLabel(_ uri: String) -> String {
        guard let type = try? PredicateType(parsing: uri), let short = type.shortName else { return uri }
        return "\(short) (\(uri))"
    }
}
