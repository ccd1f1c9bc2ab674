import Hummingbird
import SignetCore
import SignetLog
import SignetStore

/// The Rekor v2-compatible API (sigstore/rekor-tiles): `POST /api/v2/log/entries`, and the
/// read paths of C2SP tlog-tiles under `/api/v2`: the checkpoint, Merkle tiles and entry
/// bundles, all over the one log tree.
extension SignetServices {
    func addRekorV2Routes(to router: Router<SignetRequestContext>) {
        router.post("/api/v2/log/entries") { request, _ in
            let body = try await request.collectBody(limit: Self.maxEntryBytes, contentTypes: ["application/json"])
            let entry = try EntryAdmission.rekorV2(jsonBytes: body)
            let answer = try await self.log.append(entry, api: .rekorV2, now: self.timeSource.now())
            var headers = HTTPFields()
            headers[.init("x-log-index")!] = String(answer.entry.logIndex)
            return Response.bytes(answer.entry.json.compactBytes(), status: answer.existed ? .ok : .created, contentType: "application/json", headers: headers)
        }
        router.get("/api/v2/checkpoint") { _, _ in
            Response.bytes(Array(try self.log.signedTreeHead(self.log.v2).note.utf8), contentType: "text/plain; charset=utf-8")
        }
        router.get("/api/v2/tile/**") { _, context in
            try self.tile(Array(context.parameters.getCatchAll()))
        }
    }

    /// A tile path after `tile/`: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`, where N is
    /// written in groups of three digits, all but the last prefixed with `x`.
    struct TilePath: Equatable {
        var level: Int?
        var index: Int64
        var width: Int64

        init?(_ segments: [Substring]) {
            var segments = segments.map(String.init)
            guard segments.count >= 2, segments.count <= 10 else { return nil }
            let first = segments.removeFirst()
            if first == "entries" {
                level = nil
            } else if let value = Int(first), value >= 0, value <= 63, String(value) == first {
                level = value
            } else {
                return nil
            }
            width = Self.width
            if segments.count >= 2, segments[segments.count - 2].hasSuffix(".p") {
                let text = segments.removeLast()
                guard let value = Int64(text), value >= 1, value < Self.width, String(value) == text else { return nil }
                width = value
                segments[segments.count - 1].removeLast(2)
            }
            var digits = ""
            for (offset, segment) in segments.enumerated() {
                let isLast = offset == segments.count - 1
                let group = isLast ? segment : (segment.hasPrefix("x") ? String(segment.dropFirst()) : "")
                guard group.count == 3, group.allSatisfy(\.isASCIIDigit) else { return nil }
                digits += group
            }
            guard digits.count <= 18, let value = Int64(digits) else { return nil }
            index = value
        }

        /// Hashes per full tile (c2sp.org/tlog-tiles).
        static let width: Int64 = 256
    }

    private func tile(_ segments: [Substring]) throws -> Response {
        guard let path = TilePath(segments) else {
            throw APIError(.notFound, "not-found", "expected a tile path <L>/<N>[.p/<W>] or entries/<N>[.p/<W>] (c2sp.org/tlog-tiles), found \"\(segments.joined(separator: "/").prefix(120))\"")
        }
        let size = try store.latestCheckpoint(log: TransparencyLogService.treeName)?.size ?? 0
        let level = path.level ?? 0
        // Nodes complete at Merkle level 8·L in the current tree.
        let complete = size >> (8 * level)
        let start = path.index * TilePath.width
        guard start + path.width <= complete else {
            throw APIError(.notFound, "not-found", "the tree of \(size) entries has no tile \(segments.joined(separator: "/").prefix(120)) yet")
        }
        var out: [UInt8] = []
        if path.level == nil {
            for entry in try store.entries(log: TransparencyLogService.treeName, range: start..<start + path.width) {
                out.append(UInt8(entry.body.count >> 8))
                out.append(UInt8(entry.body.count & 0xFF))
                out += entry.body
            }
        } else {
            for hash in try store.nodes(log: TransparencyLogService.treeName, level: 8 * level, range: start..<start + path.width) { out += hash }
        }
        var headers = HTTPFields()
        // A full tile never changes.
        headers[.cacheControl] = path.width == TilePath.width ? "public, max-age=31536000, immutable" : "no-store"
        return Response.bytes(out, contentType: "application/octet-stream", headers: headers)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
