/// An in-toto Statement (in-toto/attestation `spec/v1/statement.md`): the subjects an
/// attestation is about and its predicate. v1 is written; v1 and v0.1 are read.
public struct InTotoStatement: Sendable, Hashable {
    public static let typeV1 = "https://in-toto.io/Statement/v1"
    public static let typeV01 = "https://in-toto.io/Statement/v0.1"

    public struct Subject: Sendable, Hashable {
        public var name: String
        /// Algorithm name (`sha256`, …) to lower-case hex digest.
        public var digest: [String: String]

        public init(name: String, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }
    }

    public var type: String
    public var subjects: [Subject]
    public var predicateType: String
    public var predicate: JSONValue?

    public init(subjects: [Subject], predicateType: String, predicate: JSONValue?) {
        self.type = Self.typeV1
        self.subjects = subjects
        self.predicateType = predicateType
        self.predicate = predicate
    }

    /// Parses a statement from a DSSE payload.
    public init(payload: [UInt8], parser: JSONParser = JSONParser()) throws(FormatError) {
        let path = "statement"
        guard case .object(let object) = try parser.parse(payload, context: path) else {
            throw FormatError(.invalidValue, at: path, "expected a JSON object")
        }
        guard case .string(let type)? = object["_type"] else {
            throw FormatError(.missingField, at: path, "expected member \"_type\" with a string, found none")
        }
        guard type == Self.typeV1 || type == Self.typeV01 else {
            throw FormatError(.unsupported, at: "\(path)._type", "expected \(Self.typeV1) or \(Self.typeV01), found \"\(ProtoJSONObject.preview(type))\"")
        }
        self.type = type
        guard case .string(let predicateType)? = object["predicateType"] else {
            throw FormatError(.missingField, at: path, "expected member \"predicateType\" with a string, found none")
        }
        self.predicateType = predicateType
        self.predicate = object["predicate"]
        guard case .array(let subjectValues)? = object["subject"], !subjectValues.isEmpty else {
            throw FormatError(.missingField, at: path, "expected a non-empty \"subject\" array")
        }
        var subjects: [Subject] = []
        for (index, value) in subjectValues.enumerated() {
            let subjectPath = "\(path).subject[\(index)]"
            guard case .object(let subject) = value, case .object(let digestObject)? = subject["digest"] else {
                throw FormatError(.invalidValue, at: subjectPath, "expected an object with a \"digest\" object")
            }
            var name = ""
            if case .string(let text)? = subject["name"] { name = text }
            var digest: [String: String] = [:]
            for member in digestObject.members {
                guard case .string(let hex) = member.value else {
                    throw FormatError(.invalidValue, at: "\(subjectPath).digest.\(member.name)", "expected a hex string, found \(member.value.typeName)")
                }
                digest[member.name] = hex.lowercased()
            }
            subjects.append(Subject(name: name, digest: digest))
        }
        self.subjects = subjects
    }

    /// The statement as JSON, for a DSSE payload.
    public var json: JSONValue {
        var object = JSONObject([
            ("_type", .string(type)),
            (
                "subject",
                .array(
                    subjects.map { subject in
                        .object(
                            JSONObject([
                                ("name", .string(subject.name)),
                                ("digest", .object(JSONObject(subject.digest.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) }))),
                            ]))
                    })
            ),
            ("predicateType", .string(predicateType)),
        ])
        if let predicate { object["predicate"] = predicate }
        return .object(object)
    }
}
