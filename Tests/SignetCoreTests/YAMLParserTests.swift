import Foundation
import Testing

@testable import SignetCore

@Suite("YAML: the JSON-compatible subset of YAML 1.2, strictly")
struct YAMLParserTests {
    static let manifest = """
        # The shop's web front end: a deployment, its service and a debug pod.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels:
            app.kubernetes.io/name: web
            tier: "frontend"
          annotations:
            signet.dev/policy: app-production
            description: >-
              Serves the shop's
              web front end.
        spec:
          replicas: 3
          selector:
            matchLabels: {app.kubernetes.io/name: web}
          template:
            metadata:
              labels:
                app.kubernetes.io/name: web
            spec:
              initContainers:
              - name: migrate
                image: registry.example.com/shop/migrate@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945
                command: ["/bin/migrate", "--to", 'latest']
              containers:
              - name: web
                image: registry.example.com/shop/web:1.4.2
                args:
                  - --port=8080
                  - --log-format=json
                ports:
                - containerPort: 8080
                  protocol: TCP
                env:
                - name: FEATURE_FLAGS
                  value: "checkout,search"
                - name: RATIO
                  value: '0.75'
                resources:
                  limits: {cpu: 500m, memory: 256Mi}
                readinessProbe:
                  httpGet: {path: /healthz, port: 8080}
                  initialDelaySeconds: 5
                securityContext:
                  runAsNonRoot: true  # never root
                  readOnlyRootFilesystem: true
              - name: proxy
                image: registry.example.com/shop/proxy:2.0
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app.kubernetes.io/name: web
          ports:
          - port: 80
            targetPort: 8080
          clusterIP: ~
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: debug
        spec:
          containers:
          - name: app
            image: registry.example.com/shop/web:1.4.2
          ephemeralContainers:
          - name: debugger
            image: busybox:1.36
            command:
            - sh
            - -c
            - |
              echo "debugging"
              sleep 3600
            stdin: true
            tty: true
        ...

        """

    static let manifestJSON = [
        """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "web", "namespace": "shop", "labels": {"app.kubernetes.io/name": "web", "tier": "frontend"},
          "annotations": {"signet.dev/policy": "app-production", "description": "Serves the shop's web front end."}},
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
          "template": {"metadata": {"labels": {"app.kubernetes.io/name": "web"}},
           "spec": {
            "initContainers": [
             {"name": "migrate",
              "image": "registry.example.com/shop/migrate@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945",
              "command": ["/bin/migrate", "--to", "latest"]}],
            "containers": [
             {"name": "web", "image": "registry.example.com/shop/web:1.4.2", "args": ["--port=8080", "--log-format=json"],
              "ports": [{"containerPort": 8080, "protocol": "TCP"}],
              "env": [{"name": "FEATURE_FLAGS", "value": "checkout,search"}, {"name": "RATIO", "value": "0.75"}],
              "resources": {"limits": {"cpu": "500m", "memory": "256Mi"}},
              "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "initialDelaySeconds": 5},
              "securityContext": {"runAsNonRoot": true, "readOnlyRootFilesystem": true}},
             {"name": "proxy", "image": "registry.example.com/shop/proxy:2.0"}]}}}}
        """,
        """
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
         "spec": {"selector": {"app.kubernetes.io/name": "web"}, "ports": [{"port": 80, "targetPort": 8080}], "clusterIP": null}}
        """,
        """
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "debug"},
         "spec": {"containers": [{"name": "app", "image": "registry.example.com/shop/web:1.4.2"}],
          "ephemeralContainers": [{"name": "debugger", "image": "busybox:1.36",
           "command": ["sh", "-c", "echo \\"debugging\\"\\nsleep 3600\\n"], "stdin": true, "tty": true}]}}
        """,
    ]

    static let policyYAML = """
        %YAML 1.2
        ---
        # Production policy for the shop's images.
        apiVersion: signet/v1
        kind: Policy
        name: app-production
        scope: {names: ["registry.example.com/team/*"], environment: production}
        mode: enforce
        publishers:
          - issuer: https://token.actions.githubusercontent.com  # GitHub Actions
            repository: "https://github.com/acme/app"
            refs: [refs/tags/*, 'refs/heads/main']
        require:
          - type: slsa-provenance
            conditions:
              - 'predicate.runDetails.builder.id matches "https://github.com/acme/*"'
              - "none(predicate.components, it.name matches 'log4j-core*') # not a comment"
          - {type: cyclonedx}
        exceptions:
          - digest: "sha256:0000000000000000000000000000000000000000000000000000000000000000"
            owner: team-shop
            reason: >
              Hotfix image built before provenance
              was enabled; see ticket #4711.
            expiresAt: 2026-12-01T00:00:00Z
          - names:
              - registry.example.com/team/legacy-*
            owner: 'team: legacy'
            reason: |
              Legacy images:
                - built by hand
                - unsigned
            expiresAt: "2026-06-30T00:00:00Z"
        """

    static let policyJSON = """
        {
          "apiVersion": "signet/v1",
          "kind": "Policy",
          "name": "app-production",
          "scope": {"names": ["registry.example.com/team/*"], "environment": "production"},
          "mode": "enforce",
          "publishers": [
            {"issuer": "https://token.actions.githubusercontent.com", "repository": "https://github.com/acme/app", "refs": ["refs/tags/*", "refs/heads/main"]}
          ],
          "require": [
            {"type": "slsa-provenance",
             "conditions": ["predicate.runDetails.builder.id matches \\"https://github.com/acme/*\\"",
                            "none(predicate.components, it.name matches 'log4j-core*') # not a comment"]},
            {"type": "cyclonedx"}
          ],
          "exceptions": [
            {"digest": "sha256:0000000000000000000000000000000000000000000000000000000000000000", "owner": "team-shop",
             "reason": "Hotfix image built before provenance was enabled; see ticket #4711.\\n", "expiresAt": "2026-12-01T00:00:00Z"},
            {"names": ["registry.example.com/team/legacy-*"], "owner": "team: legacy",
             "reason": "Legacy images:\\n  - built by hand\\n  - unsigned\\n", "expiresAt": "2026-06-30T00:00:00Z"}
          ]
        }
        """

    static func parse(_ text: String, _ parser: YAMLParser = YAMLParser()) throws -> [YAMLDocument] {
        try parser.parseStream(Array(text.utf8))
    }

    /// The value of the only document of `text`.
    static func value(_ text: String) throws -> JSONValue {
        let documents = try parse(text)
        try #require(documents.count == 1, "expected one document in \(text.debugDescription)")
        return try #require(documents.first).value
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONParser().parse(Array(text.utf8))
    }

    /// The error of parsing `bytes`, or nil if it parses.
    static func failure(_ bytes: [UInt8], _ parser: YAMLParser = YAMLParser()) -> FormatError? {
        do {
            _ = try parser.parseStream(bytes)
            return nil
        } catch {
            return error
        }
    }

    /// Whether `reason` names `line N` (and not a longer number that starts with N).
    static func mentions(_ reason: String, line: Int) -> Bool {
        let needle = "line \(line)"
        var rest = reason[...]
        while let found = rest.range(of: needle) {
            if found.upperBound == rest.endIndex || !(rest[found.upperBound].isNumber) { return true }
            rest = rest[found.upperBound...]
        }
        return false
    }

    /// The 1-based line of `text` that contains `needle` first.
    static func line(of needle: String, in text: String) throws -> Int {
        let index = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(needle) }, "\(needle)")
        return index + 1
    }

    @Test("a Kubernetes stream (Deployment, Service, Pod) parses to exactly the values of its JSON form")
    func kubernetesManifest() throws {
        let documents = try Self.parse(Self.manifest)
        #expect(documents.count == 3)
        for (document, json) in zip(documents, Self.manifestJSON) {
            #expect(document.value == (try Self.json(json)))
        }
    }

    @Test("a policy written in YAML, block and flow mixed, equals the same policy parsed from JSON")
    func policy() throws {
        #expect(try Self.value(Self.policyYAML) == (try Self.json(Self.policyJSON)))
    }

    @Test("the lines map gives the line where each nested value starts, in the syntax of SourceLines")
    func lines() throws {
        let documents = try Self.parse(Self.manifest)
        try #require(documents.count == 3)
        let text = Self.manifest
        let deployment = documents[0].lines
        #expect(deployment[""] == (try Self.line(of: "apiVersion: apps/v1", in: text)))
        #expect(deployment["metadata.annotations.description"] == (try Self.line(of: "description: >-", in: text)))
        #expect(deployment["spec.selector.matchLabels"] == (try Self.line(of: "matchLabels:", in: text)))
        #expect(deployment["spec.template.spec.initContainers[0]"] == (try Self.line(of: "- name: migrate", in: text)))
        #expect(deployment["spec.template.spec.initContainers[0].command[2]"] == (try Self.line(of: "\"--to\", 'latest'", in: text)))
        #expect(deployment["spec.template.spec.containers"] == (try Self.line(of: "- name: web", in: text)))
        #expect(deployment["spec.template.spec.containers[0].args[1]"] == (try Self.line(of: "--log-format=json", in: text)))
        #expect(deployment["spec.template.spec.containers[0].env[1].value"] == (try Self.line(of: "value: '0.75'", in: text)))
        #expect(deployment["spec.template.spec.containers[1].image"] == (try Self.line(of: "proxy:2.0", in: text)))
        #expect(documents[1].lines["spec.clusterIP"] == (try Self.line(of: "clusterIP: ~", in: text)))
        #expect(documents[2].lines[""] == (try Self.line(of: "kind: Pod", in: text)) - 1)
        #expect(documents[2].lines["spec.ephemeralContainers[0].command[2]"] == (try Self.line(of: "- |", in: text)))
        // An empty value starts at its key, an empty entry at its `-`.
        let empty = try #require(try Self.parse("a:\n  b:\n  c:\n  -\n  - 1\n").first)
        #expect(empty.lines == ["": 1, "a": 2, "a.b": 2, "a.c": 4, "a.c[0]": 4, "a.c[1]": 5])
    }

    @Test(
        "plain scalars resolve by the core schema; numbers become RFC 8259 text",
        arguments: [
            ("null", JSONValue.null), ("Null", .null), ("NULL", .null), ("~", .null), ("", .null), ("nULL", .string("nULL")),
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)), ("false", .bool(false)), ("False", .bool(false)),
            ("FALSE", .bool(false)), ("tRUE", .string("tRUE")), ("yes", .string("yes")), ("no", .string("no")), ("on", .string("on")),
            ("off", .string("off")), ("y", .string("y")), ("0", .number("0")), ("007", .number("7")), ("+12", .number("12")),
            ("-0", .number("-0")), ("-012", .number("-12")), ("123456789012345678901234567890", .number("123456789012345678901234567890")),
            ("0x1F", .number("31")), ("0xff", .number("255")), ("0xFFFFFFFFFFFFFFFF", .number("18446744073709551615")),
            ("0o17", .number("15")), ("0o0", .number("0")), (".5", .number("0.5")), ("-.5", .number("-0.5")), ("1.", .number("1.0")),
            ("+1e3", .number("1e3")), ("1E-5", .number("1E-5")), ("00.10", .number("0.10")), ("-1.5e+3", .number("-1.5e+3")),
            ("3.14", .number("3.14")), ("1_000", .string("1_000")), ("0x", .string("0x")), ("0xG", .string("0xG")), ("-0x1", .string("-0x1")),
            ("0o8", .string("0o8")), ("0b101", .string("0b101")), ("1e", .string("1e")), ("1.2.3", .string("1.2.3")), (".", .string(".")),
            ("1e3.5", .string("1e3.5")), (".infinity", .string(".infinity")), ("'1'", .string("1")), ("\"0x1F\"", .string("0x1F")),
            ("'true'", .string("true")), ("\"null\"", .string("null")), ("''", .string("")), ("nginx:1.25", .string("nginx:1.25")),
            ("http://x.y/z#top", .string("http://x.y/z#top")), ("a # comment", .string("a")), ("-x", .string("-x")), ("?x", .string("?x")),
        ])
    func coreSchema(text: String, expected: JSONValue) throws {
        let value = try Self.value("v: \(text)\n")
        #expect(value == .object(JSONObject([("v", expected)])), "\(text)")
        if case .number(let number) = expected {
            #expect(try JSONParser().parse(Array(number.utf8)) == expected, "\(number) is JSON")
        }
        // Keys are the text of scalars, never resolved.
        if !text.isEmpty && !text.hasPrefix("'") && !text.hasPrefix("\"") && !text.contains("#") {
            #expect(try Self.value("\(text): 1\n") == .object(JSONObject([(text, .number("1"))])), "\(text) as a key")
        }
    }

    @Test("quoted scalars: escapes, '' in single quotes, folded lines")
    func quoted() throws {
        let cases: [(String, String)] = [
            (#""a\tb\n\x41\u00e9\U0001F600\ud83d\ude00\\\"\/\0\e\N\_\L\P\ c""#, "a\tb\nAé😀😀\\\"/\u{0}\u{1B}\u{85}\u{A0}\u{2028}\u{2029} c"),
            ("'it''s # not a comment: really'", "it's # not a comment: really"),
            ("\"one\n  two\n\n  three\"", "one two\nthree"),
            ("\"one \\\n  two\"", "one two"),
            ("'a   \n  b'", "a b"),
            ("\"tab\\t  \n  kept\"", "tab\t kept"),
        ]
        for (text, expected) in cases {
            #expect(try Self.value("v: \(text)\n") == .object(JSONObject([("v", .string(expected))])), "\(text)")
        }
    }

    @Test("block scalars: literal and folded, chomping and indentation indicators")
    func blockScalars() throws {
        let cases: [(String, String)] = [
            ("v: |\n  a\n  b\n", "a\nb\n"),
            ("v: |-\n  a\n  b\n\n", "a\nb"),
            ("v: |+\n  a\n\n\nw: 1\n", "a\n\n\n"),
            ("v: >\n  a\n  b\n\n  c\n", "a b\nc\n"),
            ("v: >\n  a\n    more\n  b\n", "a\n  more\nb\n"),
            ("v: >-\n  a\n  b\n", "a b"),
            ("v: >+\n  a\n\n", "a\n\n"),
            ("v: |2\n    x\n  y\n", "  x\ny\n"),
            ("v: |-2\n   x\n", " x"),
            ("v: |2-\n   x\n", " x"),
            ("v: |\n\n  a\n", "\na\n"),
            ("v: |\nw: 1\n", ""),
            ("v: |  # a comment\n  a\n  # not a comment\n", "a\n# not a comment\n"),
            ("v: |\n  no final break", "no final break"),
        ]
        for (text, expected) in cases {
            guard case .object(let object) = try Self.value(text) else {
                Issue.record("expected a mapping from \(text.debugDescription)")
                continue
            }
            #expect(object["v"] == .string(expected), "\(text.debugDescription)")
        }
        #expect(try Self.value("- |\n  a\n- b\n") == .array([.string("a\n"), .string("b")]))
        #expect(try Self.value("--- >\n folded\n text\n") == .string("folded text\n"))
    }

    @Test("flow collections nest, span lines and mix with block style")
    func flow() throws {
        let text = """
            a: [1, two, "three", [], {}, [x, [y]]]
            b: {c: null, d, 'e': f,
              g: [h,
                i], }
            c: [a b, 'c d',
              e
              f]
            d: {"json": 1, "style":[true,false]}
            """
        let expected = """
            {"a": [1, "two", "three", [], {}, ["x", ["y"]]], "b": {"c": null, "d": null, "e": "f", "g": ["h", "i"]},
             "c": ["a b", "c d", "e f"], "d": {"json": 1, "style": [true, false]}}
            """
        #expect(try Self.value(text) == (try Self.json(expected)))
        #expect(
            try Self.value("{\n  \"a\": [1, 2.5, -3e2, true, null],\n  \"b\": {\"c\": \"d\\/e\"}\n}\n")
                == (try Self.json(#"{"a": [1, 2.5, -3e2, true, null], "b": {"c": "d/e"}}"#)))
    }

    @Test("documents, directives, comments, CRLF line breaks and a byte order mark")
    func documents() throws {
        #expect(try Self.parse("").isEmpty)
        #expect(try Self.parse("# only a comment\n\n").isEmpty)
        #expect(try Self.parse("---\n# nothing\n---\n...\n").isEmpty)
        #expect(
            try Self.parse("%YAML 1.2\n---\na: 1\n...\n---\nb: 2\n...\nc: 3\n").map(\.value) == [
                .object(JSONObject([("a", .number("1"))])), .object(JSONObject([("b", .number("2"))])), .object(JSONObject([("c", .number("3"))])),
            ])
        #expect(
            try Self.parse("--- text\n--- [1]\n--- {a: 1}\n").map(\.value) == [
                .string("text"), .array([.number("1")]), .object(JSONObject([("a", .number("1"))])),
            ])
        #expect(try Self.value("a: b#c  # comment\n# d: e\nf: 'g' # h\n") == (try Self.json(#"{"a": "b#c", "f": "g"}"#)))
        #expect(try Self.value("a: 1\r\nb:\r\n- x\r\n") == (try Self.json(#"{"a": 1, "b": ["x"]}"#)))
        #expect(try Self.value("\u{FEFF}a: 1\n") == (try Self.json(#"{"a": 1}"#)))
        // Offsets are of the input as given: CR LF counts two bytes, the byte order mark three.
        #expect(Self.failure(Array("a: 1\r\nb: *x\r\n".utf8))?.offset == 9)
        #expect(Self.failure(Array("\u{FEFF}a: *x\n".utf8))?.offset == 6)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var input: [UInt8]
        var code: FormatError.Code
        /// Lines the reason must name.
        var lines: [Int]
        var fragment: String

        init(_ text: String, _ code: FormatError.Code, lines: [Int], _ fragment: String) {
            self.init(bytes: Array(text.utf8), code, lines: lines, fragment)
        }

        init(bytes: [UInt8], _ code: FormatError.Code, lines: [Int], _ fragment: String) {
            self.input = bytes
            self.code = code
            self.lines = lines
            self.fragment = fragment
        }

        var testDescription: String { String(decoding: input, as: UTF8.self).debugDescription }
    }

    @Test(
        "each refusal has its code, a reason naming the right line, and the offset of the problem",
        arguments: [
            Refusal("a: &x 1\n", .unsupported, lines: [1], "anchor"),
            Refusal("a: 1\nb: *a\n", .unsupported, lines: [2], "alias"),
            Refusal("a: [lol, lol]\nb: [*a, *a]\n", .unsupported, lines: [2], "alias"),
            Refusal("a: 1\nb: !!str 2\n", .unsupported, lines: [2], "tag"),
            Refusal("- !foo x\n", .unsupported, lines: [1], "tag"),
            Refusal("base: {a: 1}\nderived:\n  <<: {b: 2}\n", .unsupported, lines: [3], "merge key"),
            Refusal("x: {<<: 1}\n", .unsupported, lines: [1], "merge key"),
            Refusal("a: 1\n? b\n: c\n", .unsupported, lines: [2], "complex key"),
            Refusal("[a, b]: c\n", .unsupported, lines: [1], "keys must be plain or quoted scalars"),
            Refusal("a: [b: c]\n", .unsupported, lines: [1], "single-pair mapping"),
            Refusal("a:\n\tb: 1\n", .unsupported, lines: [2], "tab"),
            Refusal("a:\n  b: 1\n \tc: 2\n", .unsupported, lines: [3], "tab"),
            Refusal("%YAML 1.1\n---\na: 1\n", .unsupported, lines: [1], "1.2"),
            Refusal("%TAG ! tag:example.com:\n---\na: 1\n", .unsupported, lines: [1], "%YAML"),
            Refusal("a: 1\nb: 2\na: 3\n", .syntax, lines: [1, 3], "\"a\""),
            Refusal("x:\n  - {k: 1,\n     k: 2}\n", .syntax, lines: [2, 3], "\"k\""),
            Refusal("a:\n  b: 1\n c: 2\n", .syntax, lines: [3], "indented"),
            Refusal("a:\n  - x\n  y: 1\n", .syntax, lines: [3], "indented"),
            Refusal("a: - b\n", .syntax, lines: [1], "next line"),
            Refusal("a: b: c\n", .syntax, lines: [1], "next line"),
            Refusal("- a\nb: 1\n", .syntax, lines: [2], "end of the document"),
            Refusal("a: 1\nb: \"abc\n", .syntax, lines: [2], "end of input"),
            Refusal("a: 'abc\nb: 1\n", .syntax, lines: [1, 2], "close"),
            Refusal("a: 1\nb: [1, 2\n", .syntax, lines: [2], "close"),
            Refusal("a: {x: 1,\n---\n", .syntax, lines: [1], "document marker"),
            Refusal("a: [1,\n2]\n", .syntax, lines: [1, 2], "indented more than 0"),
            Refusal("a: [1] x\n", .syntax, lines: [1], "end of the line"),
            Refusal("a: 1\nb: .inf\n", .invalidValue, lines: [2], ".inf"),
            Refusal("a: [-.Inf]\n", .invalidValue, lines: [1], ".Inf"),
            Refusal("a:\n  - .NaN\n", .invalidValue, lines: [2], ".NaN"),
            Refusal("a: 0x10000000000000000\n", .invalidValue, lines: [1], "64 bits"),
            Refusal("a: 1\nb: \"\\q\"\n", .syntax, lines: [2], "escape"),
            Refusal("a: \"\\x4\"\n", .syntax, lines: [1], "hex digits"),
            Refusal("a: \"\\ud800\"\n", .syntax, lines: [1], "surrogate"),
            Refusal("a: |0\n  x\n", .syntax, lines: [1], "block scalar header"),
            Refusal("a: |\n    \n  x\n", .syntax, lines: [3], "leading empty lines"),
            Refusal("a: @x\n", .syntax, lines: [1], "expected a value"),
            Refusal("%YAML 1.2\na: 1\n", .syntax, lines: [1, 2], "'---'"),
            Refusal("a: 1\nb: \u{7}\n", .syntax, lines: [2], "control character U+0007"),
            Refusal(bytes: Array("a: 1\nb: ".utf8) + [0xFF, 0x0A], .syntax, lines: [2], "UTF-8"),
            Refusal(bytes: Array("a: \"".utf8) + [0xED, 0xA0, 0x80, 0x22], .syntax, lines: [1], "UTF-8"),
            Refusal(bytes: Array("a: ".utf8) + [0xC0, 0xAF], .syntax, lines: [1], "UTF-8"),
            Refusal(bytes: Array("a: ".utf8) + [0xE2, 0x82], .syntax, lines: [1], "UTF-8"),
        ])
    func refuses(refusal: Refusal) throws {
        let error = try #require(Self.failure(refusal.input))
        #expect(error.code == refusal.code, "\(error)")
        for line in refusal.lines {
            #expect(Self.mentions(error.reason, line: line), "line \(line): \(error)")
        }
        #expect(error.reason.contains(refusal.fragment), "\(error)")
        let offset = try #require(error.offset)
        #expect((0...refusal.input.count).contains(offset))
    }

    @Test("the billion laughs are refused at their first anchor, before anything is expanded")
    func billionLaughs() throws {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in Array("bcdefghi") { text += "\(level): &\(level) [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" }
        let error = try #require(Self.failure(Array(text.utf8)))
        #expect(error.code == .unsupported && Self.mentions(error.reason, line: 1), "\(error)")
    }

    @Test("size, depth and value count are bounded; hostile nesting cannot exhaust the stack")
    func bounds() throws {
        let nested = { (levels: Int) in String(repeating: "[", count: levels) + String(repeating: "]", count: levels) }
        #expect(throws: Never.self) { try Self.parse(nested(64)) }
        let flow = try #require(Self.failure(Array(("a:\n  " + nested(65)).utf8)))
        #expect(flow.code == .tooDeep && Self.mentions(flow.reason, line: 2), "\(flow)")
        #expect(Self.failure(Array(nested(200_000).utf8), YAMLParser(maxBytes: 1 << 20))?.code == .tooDeep)
        let mapping = { (levels: Int) in (0..<levels).map { String(repeating: " ", count: $0) + "k:\n" }.joined() }
        #expect(throws: Never.self) { try Self.parse(mapping(64)) }
        let deep = try #require(Self.failure(Array(mapping(65).utf8)))
        #expect(deep.code == .tooDeep && Self.mentions(deep.reason, line: 65), "\(deep)")
        #expect(Self.failure(Array((String(repeating: "- ", count: 65) + "x\n").utf8))?.code == .tooDeep)
        let limited = YAMLParser(maxBytes: 16, maxDepth: 2)
        #expect(throws: Never.self) { try Self.parse("a: [1, 2, 3, 4]\n", limited) }
        let large = try #require(Self.failure(Array("a: [1, 2, 3, 45]\n".utf8), limited))
        #expect(large.code == .tooLarge && large.reason.contains("at most 16 bytes"), "\(large)")
        #expect(Self.failure(Array("a: [[1]]\n".utf8), limited)?.code == .tooDeep)
        var counted = YAMLParser()
        counted.maxNodes = 10
        #expect(throws: Never.self) { try Self.parse("[1, 2, 3, 4, 5, 6, 7, 8, 9]", counted) }
        let many = try #require(Self.failure(Array("[1, 2, 3, 4, 5, 6, 7, 8, 9,\n 10]".utf8), counted))
        #expect(many.code == .tooLarge && Self.mentions(many.reason, line: 2), "\(many)")
    }

    /// SplitMix64: a small seeded generator, so a failing run can be replayed.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("2000 random mutations of the manifest each parse or throw FormatError with a line, never trap or hang")
    func mutations() throws {
        let given = ProcessInfo.processInfo.environment["SIGNET_TEST_SEED"].flatMap { text in
            text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
        }
        let seed = given ?? 0x5167_4E37_9A3C_0001
        print("YAMLParser fuzz seed: \(seed)")
        var generator = SplitMix64(state: seed)
        let original = Array(Self.manifest.utf8)
        let alphabet = Array(" \n\t:-#'\"[]{},&*!|>?%\\\r0.~".utf8) + [0x00, 0x7F, 0xC3, 0xA9, 0xFF]
        var parsed = 0
        for iteration in 0..<2000 {
            var bytes = original
            for _ in 0...Int.random(in: 0..<8, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                let replacement =
                    Bool.random(using: &generator)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] : UInt8.random(in: 0...255, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: bytes[position] = replacement
                case 1: bytes.insert(replacement, at: position)
                case 2: bytes.remove(at: position)
                default:
                    let end = min(bytes.count, position + Int.random(in: 1..<64, using: &generator))
                    bytes.insert(contentsOf: bytes[position..<end], at: position)
                }
            }
            do {
                _ = try YAMLParser().parseStream(bytes)
                parsed += 1
            } catch {
                #expect(error.reason.contains("line "), "iteration \(iteration): \(error)")
                #expect(error.offset.map { (0...bytes.count).contains($0) } ?? false, "iteration \(iteration): \(error)")
            }
        }
        print("YAMLParser fuzz: \(parsed) of 2000 mutations parsed, the rest were refused")
    }
}
