import Hummingbird
import SignetCore
import SignetLog
import SignetStore

/// The Rekor v2-compatible API (sigstore/rekor-tiles): `POST /api/v2/log/entries`, and the
/// read paths of C2SP tlog-tiles under `/api/v2`: the checkpoint, Merkle tiles and entry
/// bundles, all over the one log tree.
extension SignetServices {
    func addRekorV2Routes(to routes: AccessRoutes) {
        routes.open(.post, "/api/v2/log/entries") { request, _ in
            let body = try await request.collectBody(limit: Self.maxEntryBytes, contentTypes: ["application/json"])
            let entry = try EntryAdmission.rekorV2(jsonBytes: body)
            try self.logRestriction?.check(entry)
            let answer = try await self.log.append(entry, api: .rekorV2, now: self.timeSource.now())
            var headers = HTTPFields()
            headers[.init("x-log-index")!] = String(answer.entry.logIndex)
            return Response.bytes(answer.entry.json.compactBytes(), status: answer.existed ? .ok : .created, contentType: "application/json", headers: headers)
        }
        routes.open(.get, "/api/v2/checkpoint") { _, _ in
            Response.bytes(Array(try await self.log.signedTreeHead(self.log.v2).note.utf8), contentType: "text/plain; charset=utf-8")
        }
        routes.open(.get, "/api/v2/tile/**") { _, context in
            try await self.tile(Array(context.parameters.getCatchAll()))
        }
    }

    private func tile(_ segments: [Substring]) async throws -> Response {
        let path: TilePath
        do {
            path = try TilePath(segments: segments)
        } catch {
            // A path that is not a tile is answered as any unknown resource of a static tile
            // server would be, with the reason.
            throw APIError(.notFound, "not-found", "\(error)")
        }
        let size = try await store.latestCheckpoint(log: LogService.treeName)?.size ?? 0
        guard path.isComplete(inTreeOfSize: size) else {
            throw APIError(.notFound, "not-found", "the tree of \(size) entries has no tile \(segments.joined(separator: "/").prefix(120)) yet")
        }
        var out: [UInt8] = []
        if path.level == nil {
            for entry in try await store.entries(log: LogService.treeName, range: path.range) {
                // The log refuses entries over 65,535 bytes (EntryAdmission), so the length
                // fits the bundle's two-byte prefix.
                out.append(UInt8(truncatingIfNeeded: entry.body.count >> 8))
                out.append(UInt8(truncatingIfNeeded: entry.body.count))
                out += entry.body
            }
        } else {
            for hash in try await store.nodes(log: LogService.treeName, level: path.merkleLevel, range: path.range) { out += hash }
        }
        var headers = HTTPFields()
        // A full tile never changes.
        headers[.cacheControl] = path.isFull ? "public, max-age=31536000, immutable" : "no-store"
        return Response.bytes(out, contentType: "application/octet-stream", headers: headers)
    }
}
