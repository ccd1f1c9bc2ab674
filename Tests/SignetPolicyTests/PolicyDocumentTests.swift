import SignetCore
import SignetPolicy
import Testing

@Suite("Policies are read strictly, with the line of every error")
struct PolicyDocumentTests {
    static let valid = """
        {
          "apiVersion": "signet/v1",
          "kind": "Policy",
          "name": "app-production",
          "scope": {"names": ["registry.example.com/team/*"], "environment": "production"},
          "publishers": [
            {"issuer": "https://token.actions.githubusercontent.com", "repository": "https://github.com/acme/app", "refs": ["refs/tags/*"]}
          ],
          "require": [
            {"type": "slsa-provenance"}
          ]
        }
        """

    @Test("a valid policy reads; its digest is of its canonical form, not its spacing")
    func valid() throws {
        let policy = try PolicyDocument(jsonBytes: Array(Self.valid.utf8))
        #expect(policy.name == "app-production" && policy.mode == .enforce && policy.requireSignature)
        #expect(policy.requirements.map(\.type.uri) == ["https://slsa.dev/provenance/v1"])
        let compact = try PolicyDocument(jsonBytes: try JSONParser().parse(Array(Self.valid.utf8)).compactBytes())
        #expect(compact.digest == policy.digest)
        #expect(policy.digestText == "sha256:" + Hex.encode(sha256(policy.canonicalJSON)))
    }

    static let validYAML = """
        # The same policy as `valid`, in YAML.
        apiVersion: signet/v1
        kind: Policy
        name: app-production
        scope:
          names: ["registry.example.com/team/*"]
          environment: production
        publishers:
        - issuer: https://token.actions.githubusercontent.com
          repository: 'https://github.com/acme/app'
          refs:
          - refs/tags/*
        require:
        - type: slsa-provenance
        """

    @Test("a YAML policy reads as its JSON twin, with the same digest; its errors name their YAML line")
    func yaml() throws {
        let json = try PolicyDocument(jsonBytes: Array(Self.valid.utf8))
        let yaml = try PolicyDocument(bytes: Array(Self.validYAML.utf8))
        #expect(yaml == json && yaml.digestText == json.digestText)
        #expect(!PolicyDocument.isJSON(Array(Self.validYAML.utf8)) && PolicyDocument.isJSON(Array(Self.valid.utf8)))
        let cases: [(String, String, Int, String)] = [
            ("kind: Policy", "kind: Policy\nmode: strict", 4, "expected enforce, warn or audit"),
            ("- type: slsa-provenance", "- type: slsa", 14, "expected a short name"),
            ("  environment: production", "  environment: Production", 7, "a-z, 0-9"),
            ("  - refs/tags/*", "  - &anchor refs/tags/*", 12, "anchor"),
            ("name: app-production", "name: app-production\nname: again", 5, "distinct keys"),
        ]
        for (from, to, line, fragment) in cases {
            let text = Self.validYAML.replacingOccurrences(of: from, with: to)
            #expect(text != Self.validYAML, "\(from)")
            let error = #expect(throws: PolicyError.self) { try PolicyDocument(bytes: Array(text.utf8)) }
            #expect(error?.line == line && error?.description.contains(fragment) == true, "\(to): \(String(describing: error))")
        }
        let two = #expect(throws: PolicyError.self) { try PolicyDocument(bytes: Array((Self.validYAML + "\n---\n" + Self.validYAML).utf8)) }
        #expect(two?.reason.contains("expected one YAML document") == true)
    }

    @Test(
        "each malformed policy is refused with its line and what was expected",
        arguments: [
            ("\"kind\": \"Policy\",", "\"kind\": \"Policy\", \"mode\": \"strict\",", 3, "expected enforce, warn or audit"),
            ("{\"type\": \"slsa-provenance\"}", "{\"type\": \"slsa\"}", 10, "expected a short name"),
            ("{\"type\": \"slsa-provenance\"}", "{\"type\": \"slsa-provenance\", \"conditions\": [\"predicate.x ==\"]}", 10, "expected a value"),
            ("{\"type\": \"slsa-provenance\"}", "{\"type\": \"slsa-provenance\", \"condition\": []}", 10, "a misspelling"),
            ("\"repository\": \"https://github.com/acme/app\", ", "", 7, "an issuer alone admits anyone"),
            ("\"name\": \"app-production\"", "\"name\": \"App Production\"", 4, "a-z, 0-9"),
            ("\"environment\": \"production\"", "\"environment\": 7", 5, "expected a string"),
            ("\"refs\": [\"refs/tags/*\"]", "\"refs\": [\"refs/tags/*\"], \"refs2\": 1", 7, "refs2"),
            ("\"require\": [", "\"exceptions\": [{\"digest\": \"sha256:00\", \"owner\": \"a\", \"reason\": \"b\"}], \"require\": [", 9, "sha256:<64"),
            ("\"require\": [", "\"exceptions\": [{\"names\": [\"x/*\"], \"owner\": \"a\", \"reason\": \"b\"}], \"require\": [", 9, "without an expiry"),
            ("\"apiVersion\": \"signet/v1\"", "\"apiVersion\": \"signet/v2\"", 2, "signet/v1"),
            ("\"names\": [\"registry.example.com/team/*\"]", "\"names\": []", 5, "at least one pattern"),
            ("}\n  ]\n}", "}\n  ]\n", 12, "invalid JSON"),
        ])
    func malformed(find: String, replace: String, line: Int, fragment: String) throws {
        let text = Self.valid.replacingOccurrences(of: find, with: replace)
        #expect(text != Self.valid, "the case must change the policy")
        do {
            _ = try PolicyDocument(jsonBytes: Array(text.utf8))
            Issue.record("expected a refusal for \(replace)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(fragment), "\(error)")
        }
    }

    @Test("a policy that would admit anything is refused")
    func admitsAnything() throws {
        let text = Self.valid.replacingOccurrences(of: "\"kind\": \"Policy\",", with: "\"kind\": \"Policy\", \"requireSignature\": false,")
            .replacingOccurrences(of: "{\"type\": \"slsa-provenance\"}", with: "")
        #expect(throws: PolicyError.self) { try PolicyDocument(jsonBytes: Array(text.utf8)) }
    }
}

@Suite("The condition language")
struct ConditionTests {
    static let context = Condition.Context(
        predicate: try! JSONParser().parse(
            Array(
                """
                {"runDetails": {"builder": {"id": "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1"}},
                 "components": [{"name": "swift-nio", "version": "2.1"}, {"name": "log4j-core", "version": "2.14"}],
                 "vulnerabilities": [{"severity": "HIGH"}, {"severity": "low"}], "score": 7.5}
                """.utf8)),
        subject: .array([]), certificate: .object(JSONObject([("issuer", .string("https://token.actions.githubusercontent.com"))])))

    @Test(
        "expressions evaluate as documented",
        arguments: [
            ("predicate.runDetails.builder.id matches 'https://github.com/acme/*'", true),
            ("predicate.runDetails.builder.id == \"https://github.com/acme/app\"", false),
            ("none(predicate.components, it.name matches 'log4j-core*')", false),
            ("any(predicate.components, it.name == 'swift-nio' && it.version == '2.1')", true),
            ("count(predicate.vulnerabilities, lower(it.severity) == 'critical') == 0", true),
            ("count(predicate.components) == 2", true),
            ("predicate.score >= 7 && predicate.score < 8", true),
            ("predicate.missing.deeper == null", true),
            ("predicate.missing", false),
            ("!exists(predicate.missing) || false", true),
            ("'HIGH' in [predicate.vulnerabilities[0].severity, 'x']", true),
            ("certificate.issuer == 'https://token.actions.githubusercontent.com'", true),
            ("size(predicate.components) > 1", true),
            ("all(predicate.nothing, false)", true),
        ])
    func evaluates(source: String, expected: Bool) throws {
        #expect(try Condition(source).evaluate(Self.context) == expected, "\(source)")
    }

    @Test(
        "malformed expressions are refused where they break",
        arguments: ["", "predicate.", "x == 1", "count(predicate)(", "'open", "predicate.a ==", "frob(1)", "a ~ b"])
    func malformed(source: String) {
        #expect(throws: FormatError.self) { try Condition(source) }
    }

    @Test("deep nesting and unbounded work are refused, never trap")
    func bounded() throws {
        #expect(throws: FormatError.self) { try Condition(String(repeating: "(", count: 100) + "true" + String(repeating: ")", count: 100)) }
        #expect(throws: FormatError.self) { try Condition(String(repeating: "!", count: 100) + "true") }
        // A list of 2,000 elements visited 2,000 times over is past the work bound.
        let big = JSONValue.array(Array(repeating: .number("1"), count: 2_000))
        let context = Condition.Context(predicate: .object(JSONObject([("l", big)])), subject: .null, certificate: .null)
        #expect(throws: FormatError.self) { try Condition("all(predicate.l, all(predicate.l, true))").evaluate(context) }
    }

    @Test("a document that is not JSON is refused at once, with its line, whatever stray delimiters it holds (a fuzzer's find)")
    func strayDelimiters() {
        for text in [
            #"{"require":[}%,"x":1}"#, #"{"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[}"#, "[}", "{\n\"a\":]\n}",
        ] {
            #expect(throws: PolicyError.self, "\(text)") { try PolicyDocument(jsonBytes: Array(text.utf8)) }
        }
    }
}
