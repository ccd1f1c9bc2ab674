import Hummingbird
import HummingbirdTesting
import SignetCore
import SignetServer
import Testing

@Suite("The HTTP API's OpenAPI document")
struct OpenAPIDocumentTests {
    /// The document as the server serves it.
    static func servedDocument(_ instance: ServerTestInstance) async throws -> (status: HTTPResponse.Status, contentType: String?, document: JSONObject) {
        try await instance.test { client in
            let response = try await client.send(.get, "/api/openapi.json")
            let value = try JSONParser(maxBytes: 4 << 20).parse(response.bytes, context: "openapi.json")
            guard case .object(let document) = value else {
                throw FormatError(.invalidValue, at: "openapi.json", "expected a JSON object, found a \(value.typeName)")
            }
            return (response.status, response.headers[.contentType], document)
        }
    }

    /// A router path with its parameters normalised: `{name}` becomes `{}`, and the catch-all
    /// `**` stays.
    static func normalised(routerPath: String) -> String {
        routerPath.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? "{}" : String(segment)
        }.joined(separator: "/")
    }

    /// A document path with its parameters normalised: a parameter declared
    /// `x-signet-multi-segment` (it spans several segments) becomes `**`, any other `{}`.
    static func normalised(documentPath: String, parameters: [JSONValue]) throws -> String {
        var multiSegment: Set<String> = []
        for case .object(let parameter) in parameters {
            if case .string(let name)? = parameter["name"], parameter["x-signet-multi-segment"] == .bool(true) { multiSegment.insert(name) }
        }
        return documentPath.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
            return multiSegment.contains(String(segment.dropFirst().dropLast())) ? "**" : "{}"
        }.joined(separator: "/")
    }

    @Test("the document lists exactly the router's operations (method and path, parameters normalised)")
    func sameOperations() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let routed = Set(SignetServer.router(instance.services).routes.map { "\($0.method.rawValue) \(Self.normalised(routerPath: $0.path.description))" })
        let document = try await Self.servedDocument(instance).document
        let paths = try #require(document["paths"]?.objectValue, "the document has no paths object")
        var documented: Set<String> = []
        for (path, item) in paths.members {
            let operations = try #require(item.objectValue, "paths.\(path) is not an object")
            let shared = operations["parameters"]?.arrayValue ?? []
            for (method, operation) in operations.members where ["get", "put", "post", "delete", "options", "head", "patch", "trace"].contains(method) {
                let own = operation.objectValue?["parameters"]?.arrayValue ?? []
                let key = "\(method.uppercased()) \(try Self.normalised(documentPath: path, parameters: shared + own))"
                #expect(!documented.contains(key), "\(key) is documented twice")
                documented.insert(key)
            }
        }
        #expect(routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed).sorted())")
        #expect(routed.contains("GET /api/openapi.json"))
        #expect(routed.contains("GET /api/v1/log/entries/{}") && routed.contains("GET /api/v2/tile/**"))
    }

    @Test("the document is served as application/json, is OpenAPI 3.1, every operation has a unique operationId and every $ref resolves")
    func wellFormed() async throws {
        let instance = try await ServerTestInstance()
        defer { instance.remove() }
        let (status, contentType, document) = try await Self.servedDocument(instance)
        #expect(status == .ok)
        #expect(contentType == "application/json")
        let version = try #require(document["openapi"]?.stringValue, "no openapi field")
        #expect(version.hasPrefix("3.1."))
        #expect(document["info"]?.objectValue?["title"]?.stringValue == "Signet")

        var operationIDs: [String] = []
        for (_, item) in try #require(document["paths"]?.objectValue).members {
            for (method, operation) in try #require(item.objectValue).members where method != "parameters" {
                let operation = try #require(operation.objectValue)
                operationIDs.append(try #require(operation["operationId"]?.stringValue, "\(method) has no operationId"))
                #expect(operation["responses"]?.objectValue?.members.isEmpty == false)
            }
        }
        #expect(Set(operationIDs).count == operationIDs.count, "duplicate operationIds in \(operationIDs.sorted())")

        var references: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (name, member) in object.members {
                    if name == "$ref", case .string(let target) = member { references.append(target) } else { collect(member) }
                }
            case .array(let elements): elements.forEach(collect)
            default: break
            }
        }
        collect(.object(document))
        #expect(!references.isEmpty)
        for reference in references {
            #expect(reference.hasPrefix("#/"), "\(reference) is not a local reference")
            var target: JSONValue? = .object(document)
            for token in reference.dropFirst(2).split(separator: "/") {
                target = target?.objectValue?[String(token)]
            }
            #expect(target != nil, "\(reference) does not resolve")
        }
    }
}

extension JSONValue {
    fileprivate var objectValue: JSONObject? {
        if case .object(let object) = self { object } else { nil }
    }

    fileprivate var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    fileprivate var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }
}
