/// Server-rendered HTML for the web UI: every value from a store, a certificate or a request
/// goes through ``escape(_:)``; pages work without JavaScript and reflow on a narrow screen.
struct HTMLPage {
    private(set) var body = ""

    /// Text escaped for element content and quoted attribute values (HTML §13.1.2.6).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    /// A query component: everything but unreserved characters percent-encoded (RFC 3986 §2.3).
    static func queryValue(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%\(hexDigits[Int(byte >> 4)])\(hexDigits[Int(byte & 0xF)])"
            }
        }
        return out
    }

    /// Appends markup written by this code (never text from outside).
    mutating func raw(_ markup: String) { body += markup }

    /// Appends an element whose content is escaped text.
    mutating func element(_ name: String, _ text: String, class className: String? = nil) {
        body += "<\(name)\(className.map { " class=\"\($0)\"" } ?? "")>\(Self.escape(text))</\(name)>"
    }

    /// A link with escaped text to an already-built href.
    static func link(_ href: String, _ text: String) -> String {
        "<a href=\"\(escape(href))\">\(escape(text))</a>"
    }

    /// A link to an artifact's page: its repository, then its digest shortened on screen (the
    /// whole name is the link's title, and the digest is whole when copied).
    static func artifactLink(_ href: String, _ name: String) -> String {
        guard let at = name.firstIndex(of: "@") else { return link(href, name) }
        return
            "<a class=\"artifact\" href=\"\(escape(href))\" title=\"\(escape(name))\">\(escape(String(name[..<at])))@<span class=\"digest\">\(escape(String(name[name.index(after: at)...])))</span></a>"
    }

    /// A two-column table of facts; values are escaped, rows with no value are left out.
    mutating func facts(_ rows: [(String, String?)]) {
        body += "<table class=\"facts\"><tbody>"
        for case (let label, let value?) in rows {
            body += "<tr><th scope=\"row\">\(Self.escape(label))</th><td>\(Self.escape(value))</td></tr>"
        }
        body += "</tbody></table>"
    }

    /// The whole document; for a signed-in session, its identity and a sign-out form carrying
    /// the session's CSRF token.
    func document(title: String, signedIn: (actor: String, csrf: String)? = nil) -> String {
        let account =
            signedIn.map {
                """
                <form class="account" method="post" action="/ui/logout"><span>\(Self.escape($0.actor))</span>\
                <input type="hidden" name="csrf" value="\(Self.escape($0.csrf))"><button type="submit">Sign out</button></form>
                """
            } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title)) · Signet</title>
            <style>\(Self.style)</style></head>
            <body><header><a class="brand" href="/ui/artifacts">Signet</a>
            <nav><a href="/ui/artifacts">Artifacts</a><a href="/ui/log">Log</a><a href="/ui/audit">Audit</a><a href="/ui/compliance">Compliance</a></nav>\(account)</header>
            <main>\(body)</main></body></html>
            """
    }

    static let style = """
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f6f7f9}
        header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.7rem 1rem;background:#1d2330}
        header a{color:#fff;text-decoration:none}.account{margin:0 0 0 auto;align-items:center;color:#cfd5e0}.brand{font-weight:700;margin-right:1rem}nav a{margin-right:1rem;opacity:.85}
        main{max-width:72rem;margin:0 auto;padding:1rem}h1{font-size:1.35rem;word-break:break-all}h2{font-size:1.1rem;margin-top:1.6rem}
        table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
        td{overflow-wrap:anywhere}th{white-space:nowrap}.facts th{width:14rem;color:#4a5366;font-weight:600;white-space:normal}.scroll{overflow-x:auto}
        .digest{display:inline-block;max-width:16ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;vertical-align:bottom}
        .verdicts td:first-child{font-weight:600}svg.trace{background:#fff;border:1px solid #e3e6ea;border-radius:6px;max-width:none}
        .ok{color:#106b2c;font-weight:600}.bad{color:#a31b1b;font-weight:600}.muted{color:#677085}
        form{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}input,select,button{font:inherit;padding:.35rem .5rem}input[type=search]{flex:1 1 16rem}
        pre{background:#fff;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
        .card{background:#fff;border:1px solid #e3e6ea;border-radius:6px;padding:.8rem;margin:.8rem 0}
        @media (max-width:40rem){.facts th{width:auto;display:block;border:0;padding-bottom:0}.facts td{display:block}}
        """
}
