import Hummingbird
import SignetCore

/// The web UI's compliance page: a query of ``ComplianceQuery`` over the namespaces the
/// session audits, its rows in a table with each one's log index linked to the log, and the
/// same answer as CSV or JSON (`format=`), with every row's inclusion proof.
extension SignetServices {
    func compliancePage(_ request: Request, _ session: WebSessionState) async throws -> Response {
        let namespaces = auditableNamespaces(of: session.caller)
        let selected = request.query("query").flatMap(ComplianceQuery.init(rawValue:)) ?? .inventory
        if let format = request.query("format") {
            let rows = try await compliance(selected, request, namespaces: namespaces)
            return try await complianceResponse(selected, rows, csv: format == "csv")
        }
        var page = HTMLPage()
        page.raw("<h1>Compliance</h1>")
        let value = { (name: String) in HTMLPage.escape(request.query(name) ?? "") }
        page.raw(
            """
            <form method="get" action="/ui/compliance">
            <select name="query" aria-label="Query">\(ComplianceQuery.allCases.map { "<option value=\"\($0.rawValue)\"\($0 == selected ? " selected" : "")>\($0.rawValue)</option>" }.joined())</select>
            <input type="text" name="environment" value="\(value("environment"))" placeholder="environment" aria-label="Environment">
            <input type="text" name="type" value="\(value("type"))" placeholder="attestation type (slsa-provenance)" aria-label="Attestation type">
            <input type="text" name="sourceRepositoryRef" value="\(value("sourceRepositoryRef"))" placeholder="refs/tags/v1.0.0" aria-label="Source ref">
            <input type="text" name="identity" value="\(value("identity"))" placeholder="signer identity" aria-label="Identity">
            <button type="submit">Ask</button></form>
            """)
        let rows: [ComplianceRow]
        do { rows = try await compliance(selected, request, namespaces: namespaces) } catch let error as APIError where error.status == .badRequest {
            page.element("p", error.message, class: "muted")
            return Self.html(page, title: "Compliance", session: session)
        }
        let query = (request.uri.query ?? "").split(separator: "&").filter { !$0.hasPrefix("format=") }.joined(separator: "&")
        page.raw(
            "<p>\(rows.count) rows. \(HTMLPage.link("/ui/compliance?\(query)&format=csv", "CSV")) · \(HTMLPage.link("/ui/compliance?\(query)&format=json", "JSON with inclusion proofs"))</p>"
        )
        guard let first = rows.first else { return Self.html(page, title: "Compliance", session: session) }
        page.raw("<div class=\"scroll\"><table><thead><tr>")
        for (name, _) in first.fields { page.element("th", name) }
        page.raw("<th>Log index</th></tr></thead><tbody>")
        for row in rows {
            page.raw("<tr>")
            for (name, value) in row.fields {
                if name == "name", let value {
                    page.raw("<td>\(HTMLPage.link(Self.artifactHref(value), value))</td>")
                } else {
                    page.element("td", value ?? "—")
                }
            }
            page.raw("<td>\(row.logIndex.map { HTMLPage.link("/ui/log?index=\($0)", String($0)) } ?? "—")</td></tr>")
        }
        page.raw("</tbody></table></div>")
        return Self.html(page, title: "Compliance", session: session)
    }
}
