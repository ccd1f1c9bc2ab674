import Hummingbird
import SignetCore
import SignetLog
import SignetStore

/// The Rekor v1-compatible API over the one log tree (sigstore/rekor `openapi.yaml`): create,
/// get by UUID or index, search, tree head, consistency proof and the log's key.
extension SignetServices {
    /// The largest proposed entry accepted (a DSSE envelope with its certificate).
    static let maxEntryBytes = 256 << 10
    /// Rekor's limit on queries per search request.
    static let maxSearchQueries = 10

    func addRekorV1Routes(to routes: AccessRoutes) {
        routes.open(.post, "/api/v1/log/entries") { request, context in
            let body = try await request.collectBody(limit: Self.maxEntryBytes, contentTypes: ["application/json"])
            let entry = try EntryAdmission.rekorV1(jsonBytes: body)
            try self.logRestriction?.check(entry)
            let answer = try await self.log.append(entry, api: .rekorV1, now: self.timeSource.now())
            let entryID = LogSigner.entryID(answer.entry, treeID: self.log.treeID)
            var headers = HTTPFields()
            headers[.eTag] = entryID
            headers[.location] = "/api/v1/log/entries/\(entryID)"
            return Response.bytes(
                LogSigner.rekorV1Response(answer.entry, entryID: entryID), status: answer.existed ? .ok : .created, contentType: "application/json",
                headers: headers)
        }
        routes.open(.get, "/api/v1/log/entries") { request, _ in
            guard let text = request.uri.queryParameters.get("logIndex") else {
                throw APIError(.badRequest, "invalid-request", "expected the query parameter logIndex, found none")
            }
            guard let index = Int64(text), index >= 0 else {
                throw APIError(.badRequest, "invalid-request", "expected logIndex to be a non-negative integer, found \"\(text.prefix(40))\"")
            }
            return try await self.v1EntryResponse(self.log.lookup(index: index, api: .rekorV1), what: "entry \(index)")
        }
        routes.open(.get, "/api/v1/log/entries/:uuid") { _, context in
            let uuid = try self.leafHash(uuid: context.parameters.get("uuid") ?? "")
            return try await self.v1EntryResponse(self.log.lookup(leafHash: uuid, api: .rekorV1), what: "entry \(Hex.encode(uuid))")
        }
        routes.open(.post, "/api/v1/log/entries/retrieve") { request, _ in
            try await self.retrieveEntries(request)
        }
        routes.open(.post, "/api/v1/index/retrieve") { request, _ in
            try await self.searchIndex(request)
        }
        routes.open(.get, "/api/v1/log") { _, _ in
            try await self.logInfo()
        }
        routes.open(.get, "/api/v1/log/proof") { request, _ in
            try await self.consistencyProof(request)
        }
        routes.open(.get, "/api/v1/log/publicKey") { _, _ in
            Response.bytes(Array(PEM.encode(self.log.v1.signer.publicKeySPKI, label: "PUBLIC KEY").utf8), contentType: "application/x-pem-file")
        }
    }

    /// The leaf hash named by a 64-hex UUID or an 80-hex entry ID of this tree.
    func leafHash(uuid text: String) throws -> [UInt8] {
        var hex = text.lowercased()
        if hex.count == 80 {
            guard hex.hasPrefix(LogSigner.entryIDPrefix(treeID: log.treeID)) else {
                throw APIError(.notFound, "not-found", "entry ID \(text.prefix(80)) names another tree than \(log.treeID)")
            }
            hex = String(hex.dropFirst(16))
        }
        guard hex.count == 64, let hash = Hex.decode(hex) else {
            throw APIError(.badRequest, "invalid-request", "expected a 64-hex entry UUID or an 80-hex entry ID, found \"\(text.prefix(100))\"")
        }
        return hash
    }

    private func v1EntryResponse(_ answer: LogService.Answer?, what: String) throws -> Response {
        guard let answer else { throw APIError(.notFound, "not-found", "the log holds no \(what)") }
        return Response.bytes(
            LogSigner.rekorV1Response(answer.entry, entryID: LogSigner.entryID(answer.entry, treeID: log.treeID)), contentType: "application/json")
    }

    private func retrieveEntries(_ request: Request) async throws -> Response {
        let body = try await request.collectBody(limit: Self.maxEntryBytes, contentTypes: ["application/json"])
        var query = try ProtoJSONObject(try JSONParser(maxBytes: Self.maxEntryBytes, maxDepth: 16).parse(body, context: "search"), path: "search")
        var found: [TransparencyLogEntry] = []
        var queries = 0
        func count(_ n: Int) throws {
            queries += n
            guard queries <= Self.maxSearchQueries else {
                throw APIError(.unprocessableContent, "too-many-queries", "expected at most \(Self.maxSearchQueries) queries in one search, found more")
            }
        }
        for (element, path) in try query.array("entryUUIDs") {
            try count(1)
            guard case .string(let text) = element else { throw APIError(.badRequest, "invalid-request", "\(path): expected a UUID string") }
            if let answer = try await log.lookup(leafHash: try leafHash(uuid: text), api: .rekorV1) { found.append(answer.entry) }
        }
        for (element, path) in try query.array("logIndexes") {
            try count(1)
            guard case .number(let text) = element, let index = Int64(text), index >= 0 else {
                throw APIError(.badRequest, "invalid-request", "\(path): expected a non-negative integer")
            }
            if let answer = try await log.lookup(index: index, api: .rekorV1) { found.append(answer.entry) }
        }
        for (element, _) in try query.array("entries") {
            try count(1)
            let proposed = try EntryAdmission.rekorV1(jsonBytes: element.compactBytes()).body
            if let answer = try await log.lookup(leafHash: Merkle.leafHash(try proposed.canonicalBytes()), api: .rekorV1) { found.append(answer.entry) }
        }
        try query.finish()
        // Each element is a one-member LogEntry map, as Rekor answers.
        let parts = found.map { LogSigner.rekorV1Response($0, entryID: LogSigner.entryID($0, treeID: log.treeID)) }
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (offset, part) in parts.enumerated() {
            if offset > 0 { out.append(UInt8(ascii: ",")) }
            out += part
        }
        out.append(UInt8(ascii: "]"))
        return Response.bytes(out, contentType: "application/json")
    }

    private func searchIndex(_ request: Request) async throws -> Response {
        let body = try await request.collectBody(limit: 64 << 10, contentTypes: ["application/json"])
        var query = try ProtoJSONObject(try JSONParser(maxBytes: 64 << 10, maxDepth: 8).parse(body, context: "query"), path: "query")
        var keys: [String] = []
        if let hash = try query.string("hash") {
            // No colon: the whole text is a SHA-256 digest (an empty one is refused below).
            let text = hash.lowercased()
            let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let (name, hex) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("sha256", text)
            guard let algorithm = HashAlgorithm(rekorName: name), let value = Hex.decode(hex), value.count == algorithm.byteCount else {
                throw APIError(.badRequest, "invalid-request", "expected hash as [sha256:|sha384:|sha512:]<hex digest>, found \"\(hash.prefix(140))\"")
            }
            keys.append(EntryIndex.digestKey(value, algorithm: algorithm))
        }
        if var publicKey = try query.message("publicKey") {
            let content = try publicKey.requiredBytes("content")
            _ = try publicKey.string("format")
            try publicKey.finish()
            let text = String(decoding: content, as: UTF8.self)
            let der = (try? PEM.decodeAll(text, context: "publicKey.content"))?.first?.der ?? content
            keys.append(EntryIndex.verifierKey(der: der))
        }
        if let email = try query.string("email") { keys.append(EntryIndex.identityKey(email)) }
        let operatorName = try query.string("operator") ?? "and"
        try query.finish()
        guard !keys.isEmpty else {
            throw APIError(.badRequest, "invalid-request", "expected at least one of hash, publicKey and email, found none")
        }
        guard operatorName == "and" || operatorName == "or" else {
            throw APIError(.badRequest, "invalid-request", "expected operator \"and\" or \"or\", found \"\(operatorName.prefix(20))\"")
        }
        // Entry indices are unique, so the sets combine by index and keep log order.
        var result: [Int64: [UInt8]]?
        for key in keys {
            let hits = Dictionary(
                uniqueKeysWithValues: try await store.indexedEntries(log: LogService.treeName, key: key, limit: 1000).map { ($0.index, $0.leafHash) })
            result =
                result.map { found in
                    operatorName == "and" ? found.filter { hits[$0.key] != nil } : found.merging(hits) { first, _ in first }
                } ?? hits
        }
        let prefix = LogSigner.entryIDPrefix(treeID: log.treeID)
        return Response.json(.array((result ?? [:]).sorted { $0.key < $1.key }.map { .string(prefix + Hex.encode($0.value)) }))
    }

    private func logInfo() async throws -> Response {
        let head = try await log.signedTreeHead(log.v1)
        return Response.json(
            .object(
                JSONObject([
                    ("rootHash", .string(Hex.encode(head.rootHash))),
                    ("treeSize", .integer(head.size)),
                    ("signedTreeHead", .string(head.note)),
                    ("treeID", .string(String(log.treeID))),
                    ("inactiveShards", .array([])),
                ])))
    }

    private func consistencyProof(_ request: Request) async throws -> Response {
        let size = try await store.latestCheckpoint(log: LogService.treeName)?.size ?? 0
        func parameter(_ name: String) async throws -> Int64? {
            guard let text = request.uri.queryParameters.get(name) else { return nil }
            guard let value = Int64(text), value >= 0 else {
                throw APIError(.badRequest, "invalid-request", "expected \(name) to be a non-negative integer, found \"\(text.prefix(40))\"")
            }
            return value
        }
        let first = try await parameter("firstSize") ?? 1
        let last = try await parameter("lastSize") ?? size
        guard first >= 1, first <= last, last <= size else {
            throw APIError(
                .badRequest, "invalid-request", "expected 1 <= firstSize <= lastSize <= \(size) (the tree size), found firstSize \(first), lastSize \(last)")
        }
        let hashes = try await store.consistencyProof(log: LogService.treeName, oldSize: first, newSize: last)
        let root = try await store.rootHash(log: LogService.treeName, size: last)
        return Response.json(
            .object(
                JSONObject([
                    ("rootHash", .string(Hex.encode(root))),
                    ("hashes", .array(hashes.map { .string(Hex.encode($0)) })),
                ])))
    }
}
