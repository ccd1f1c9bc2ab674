import SignetCore
import Testing

@Suite("Artifact names pinned by digest")
struct ArtifactNameTests {
    static let hex = String(repeating: "ab", count: 32)

    @Test("digest-pinned names parse into host, path and digest; a tag beside the digest is dropped")
    func valid() throws {
        let cases: [(String, String, String)] = [
            ("registry.example.com/team/app@sha256:\(Self.hex)", "registry.example.com", "team/app"),
            ("registry.example.com:5000/team/app@sha256:\(Self.hex)", "registry.example.com:5000", "team/app"),
            ("localhost/app@sha256:\(Self.hex)", "localhost", "app"),
            ("registry:5000/a.b_c__d--e/f@sha256:\(Self.hex)", "registry:5000", "a.b_c__d--e/f"),
            ("10.0.0.1:8443/app@sha256:\(Self.hex)", "10.0.0.1:8443", "app"),
            ("ghcr.io/acme/app:v1.0.0@sha256:\(Self.hex)", "ghcr.io", "acme/app"),
        ]
        for (text, host, path) in cases {
            let name = try ArtifactName(parsing: text)
            #expect(name.host == host && name.path == path, "\(text)")
            #expect(name.digest == [UInt8](repeating: 0xAB, count: 32))
            #expect(name.description == "\(host)/\(path)@sha256:\(Self.hex)")
            #expect(try ArtifactName(parsing: name.description) == name)
        }
        #expect(
            try ArtifactName(host: "ghcr.io", path: "acme/app", digest: [UInt8](repeating: 0xAB, count: 32)).description
                == "ghcr.io/acme/app@sha256:\(Self.hex)")
    }

    @Test("host case, default ports and port spellings are one name")
    func normalised() throws {
        let canonical = try ArtifactName(parsing: "registry.example.com/team/app@sha256:\(Self.hex)")
        for variant in [
            "REGISTRY.example.com/team/app@sha256:\(Self.hex)", "Registry.Example.COM/team/app@sha256:\(Self.hex)",
            "registry.example.com:443/team/app@sha256:\(Self.hex)", "registry.example.com:80/team/app@sha256:\(Self.hex)",
            "REGISTRY.EXAMPLE.COM:0443/team/app:v1@sha256:\(Self.hex)",
        ] {
            let name = try ArtifactName(parsing: variant)
            #expect(name == canonical, "\(variant)")
            #expect(name.description == canonical.description)
        }
        let ported = try ArtifactName(parsing: "Registry.example.com:05000/team/app@sha256:\(Self.hex)")
        #expect(ported.host == "registry.example.com:5000")
        #expect(ported != canonical)
        // A single-label host is a host only with its port, a default one included: dropping it
        // would print a name that does not read back (found by FuzzArtifactName).
        let singleLabel = try ArtifactName(parsing: "Registry:80/team/app:v1@sha256:\(Self.hex)")
        #expect(singleLabel.host == "registry:80")
        #expect(try ArtifactName(parsing: singleLabel.description) == singleLabel)
        #expect(try ArtifactName(parsing: "localhost:443/team/app@sha256:\(Self.hex)").host == "localhost")
        // The path is case-sensitive in the grammar: upper case is refused, never folded.
        #expect(throws: FormatError.self) { try ArtifactName(parsing: "registry.example.com/Team/app@sha256:\(Self.hex)") }
    }

    @Test("a tag or a bare name is refused with what to pass instead")
    func tagsAndBareNames() {
        func reason(_ text: String) -> String {
            do {
                _ = try ArtifactName(parsing: text)
                return "accepted"
            } catch {
                return error.description
            }
        }
        let tag = reason("registry.example.com/team/app:v1.0.0")
        #expect(tag.contains("a tag can be moved") && tag.contains("registry.example.com/team/app@sha256:<digest>") && tag.contains("--file"), "\(tag)")
        let bare = reason("registry.example.com/team/app")
        #expect(bare.contains("a name alone") && bare.contains("registry.example.com/team/app@sha256:<digest>"), "\(bare)")
        // A port is not a tag.
        let port = reason("registry.example.com:5000/team/app")
        #expect(port.contains("a name alone"), "\(port)")
    }

    @Test("malformed, oversized and hostile names are refused, never crash")
    func malformed() {
        let bad = [
            "", " ", "app@sha256:\(Self.hex)", "team/app@sha256:\(Self.hex)",
            "registry.example.com/Team/app@sha256:\(Self.hex)", "registry.example.com/team//app@sha256:\(Self.hex)",
            "registry.example.com/@sha256:\(Self.hex)", "registry.example.com/app@sha256:\(Self.hex.uppercased())",
            "registry.example.com/app@sha256:\(Self.hex.dropLast())", "registry.example.com/app@sha512:\(Self.hex)\(Self.hex)",
            "registry.example.com/app@sha256:\(Self.hex)@sha256:\(Self.hex)", "-bad.example.com/app@sha256:\(Self.hex)",
            "registry.example.com:99999/app@sha256:\(Self.hex)", "registry.example.com:/app@sha256:\(Self.hex)",
            "registry.example.com/app'; DROP TABLE signature; --@sha256:\(Self.hex)", "registry.example.com/a\"pp@sha256:\(Self.hex)",
            "registry.example.com/app@sha256:\(Self.hex) ", "registry.example.com/ap\u{0}p@sha256:\(Self.hex)", "registry.exämple.com/app@sha256:\(Self.hex)",
            "registry.example.com/" + String(repeating: "a/", count: 300) + "b@sha256:\(Self.hex)",
            "registry.example.com/a-@sha256:\(Self.hex)", "registry.example.com/a._b@sha256:\(Self.hex)",
        ]
        for text in bad {
            #expect(throws: FormatError.self, "\(text.prefix(80))") { try ArtifactName(parsing: text) }
        }
    }
}
