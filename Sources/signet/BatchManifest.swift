import Foundation
import SignetCore
import SignetPolicy
import SignetVerify

/// What `signet verify --manifest FILE` checks: one entry per artifact, read from one of three
/// shapes, told apart by their content:
///
/// - **JSON**: an array of entries, or `{"entries": [...]}`; each entry is `{"name": N}` (a
///   digest-pinned name or image, decided by the gate) or `{"file": F}` / `{"digest":
///   "sha256:…"}` with a `"bundle"` (default `F.sigstore.json`), verified here.
/// - **Checksums** as `sha256sum` writes them (`<64 hex>  path`): each file's bundle is
///   `path.sigstore.json`; the file, when present, must have the listed digest.
/// - **Kubernetes** objects, YAML or JSON (several documents, or a `List`): every container,
///   init container and ephemeral container image of each workload, as the admission webhook
///   reads them; objects without a pod spec (a Service, a ConfigMap) hold no image.
///
/// Relative paths are read from the manifest's directory. An entry that cannot be read is
/// that entry's failure, never the manifest's, so one bad line does not hide the others.
struct BatchManifest {
    /// The largest manifest read.
    static let maxBytes = 16 << 20
    /// The most entries one manifest may list.
    static let maxEntries = 100_000

    /// What one entry asks about.
    enum Subject: Sendable {
        /// A digest-pinned name or image reference, for the gate.
        case name(String)
        /// A file or digest with its bundle, verified locally.
        case bundle(file: String?, digest: Artifact?, bundle: String)
        /// An entry that could not be read, and why.
        case unreadable(String)
    }

    struct Entry: Sendable {
        /// How the entry is named in reports.
        var label: String
        /// The manifest line it starts on, when known.
        var line: Int?
        var subject: Subject
    }

    enum Shape: String {
        case json, checksums, kubernetes
    }

    var shape: Shape
    var entries: [Entry]

    init(bytes: [UInt8], path: String) throws(CommandFailure) {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        func resolve(_ file: String) -> String { file.hasPrefix("/") ? file : directory + "/" + file }
        let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            let value: JSONValue
            do { value = try JSONParser(maxBytes: Self.maxBytes, maxDepth: 64).parse(bytes, context: "manifest") } catch {
                throw .unusable("manifest \(path): expected JSON, found: \(error)")
            }
            if case .object(let object) = value, object["kind"] != nil {
                (shape, entries) = (.kubernetes, Self.kubernetes([(value, nil)]))
            } else {
                (shape, entries) = (.json, try Self.json(value, path: path, resolve: resolve))
            }
        } else if let checksums = Self.checksums(bytes, resolve: resolve) {
            (shape, entries) = (.checksums, checksums)
        } else {
            let documents: [YAMLDocument]
            do { documents = try YAMLParser(maxBytes: Self.maxBytes).parseStream(bytes, context: "manifest") } catch {
                throw .unusable(
                    "manifest \(path): expected JSON entries, sha256sum lines or Kubernetes YAML, found YAML that does not parse: \(error)")
            }
            (shape, entries) = (.kubernetes, Self.kubernetes(documents.map { ($0.value, $0.lines[""]) }))
        }
        guard !entries.isEmpty else { throw .unusable("manifest \(path): expected at least one entry, found none") }
        guard entries.count <= Self.maxEntries else {
            throw .unusable("manifest \(path): expected at most \(Self.maxEntries) entries, found \(entries.count)")
        }
    }

    private static func json(_ value: JSONValue, path: String, resolve: (String) -> String) throws(CommandFailure) -> [Entry] {
        let list: [JSONValue]
        switch value {
        case .array(let array): list = array
        case .object(let object):
            guard object.names == ["entries"], case .array(let array)? = object["entries"] else {
                throw .unusable(
                    "manifest \(path): expected an array of entries or {\"entries\": [...]}, found an object with \(object.names.map { "\"\($0)\"" }.joined(separator: ", "))"
                )
            }
            list = array
        default: throw .unusable("manifest \(path): expected an array of entries, found \(value.typeName)")
        }
        return list.enumerated().map { index, value in entry(json: value, index: index, resolve: resolve) }
    }

    private static func entry(json value: JSONValue, index: Int, resolve: (String) -> String) -> Entry {
        let label = "entries[\(index)]"
        guard case .object(let object) = value else {
            return Entry(label: label, subject: .unreadable("expected an object with name, file or digest, found \(value.typeName)"))
        }
        if let unknown = object.names.first(where: { !["name", "file", "digest", "bundle"].contains($0) }) {
            return Entry(
                label: label, subject: .unreadable("expected the members name, file, digest and bundle, found \"\(ProtoJSONObject.preview(unknown))\""))
        }
        var strings: [String: String] = [:]
        for (member, value) in object.members {
            guard case .string(let text) = value else {
                return Entry(label: label, subject: .unreadable("expected \(member) to be a string, found \(value.typeName)"))
            }
            strings[member] = text
        }
        let (name, file, digest, bundle) = (strings["name"], strings["file"], strings["digest"], strings["bundle"])
        switch (name, file, digest) {
        case (let name?, nil, nil):
            guard bundle == nil else {
                return Entry(label: name, subject: .unreadable("expected a name alone (the gate reads its evidence), found a bundle beside it"))
            }
            return Entry(label: name, subject: .name(name))
        case (nil, let file?, nil):
            return Entry(label: file, subject: .bundle(file: resolve(file), digest: nil, bundle: resolve(bundle ?? file + ".sigstore.json")))
        case (nil, nil, let digest?):
            guard let artifact = Artifact.parseDigest(digest) else {
                return Entry(label: label, subject: .unreadable("expected digest as sha256:<64 lower-case hex>, found \"\(ProtoJSONObject.preview(digest))\""))
            }
            guard let bundle else { return Entry(label: digest, subject: .unreadable("expected a bundle for the digest, found none")) }
            return Entry(label: digest, subject: .bundle(file: nil, digest: artifact, bundle: resolve(bundle)))
        default:
            return Entry(label: label, subject: .unreadable("expected exactly one of name, file and digest"))
        }
    }

    /// `sha256sum` output, or nil when any non-empty line is not of that form.
    private static func checksums(_ bytes: [UInt8], resolve: (String) -> String) -> [Entry]? {
        var entries: [Entry] = []
        for (index, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.hasSuffix("\r") ? line.dropLast() : line
            guard !text.isEmpty else { continue }
            // `<hex>  path` (text mode) or `<hex> *path` (binary mode).
            let hex = text.prefix(64)
            let rest = text.dropFirst(64)
            guard hex.count == 64, hex.allSatisfy({ $0.isHexDigit }), rest.hasPrefix("  ") || rest.hasPrefix(" *"), rest.count > 2,
                let artifact = Artifact.parseDigest("sha256:" + hex.lowercased())
            else { return nil }
            let file = String(rest.dropFirst(2))
            entries.append(
                Entry(label: file, line: index + 1, subject: .bundle(file: resolve(file), digest: artifact, bundle: resolve(file + ".sigstore.json"))))
        }
        return entries.isEmpty ? nil : entries
    }

    private static func kubernetes(_ documents: [(value: JSONValue, line: Int?)]) -> [Entry] {
        var entries: [Entry] = []
        var queue = documents
        var position = 0
        while position < queue.count {
            let (document, line) = queue[position]
            position += 1
            guard case .object(let object) = document else {
                entries.append(Entry(label: "document", line: line, subject: .unreadable("expected a Kubernetes object, found \(document.typeName)")))
                continue
            }
            guard case .string(let kind)? = object["kind"] else {
                entries.append(Entry(label: "document", line: line, subject: .unreadable("expected a Kubernetes object with a kind, found none")))
                continue
            }
            if kind == "List", case .array(let items)? = object["items"] {
                queue += items.map { ($0, line) }
                continue
            }
            guard KubernetesWorkload.kinds.contains(kind) else { continue }
            var objectName = "?"
            if case .object(let metadata)? = object["metadata"], case .string(let name)? = metadata["name"] { objectName = name }
            do {
                for (containerPath, image) in try KubernetesWorkload.images(kind: kind, object: document) {
                    entries.append(Entry(label: "\(kind)/\(objectName) \(containerPath): \(image)", line: line, subject: .name(image)))
                }
            } catch {
                entries.append(Entry(label: "\(kind)/\(objectName)", line: line, subject: .unreadable(error.description)))
            }
        }
        return entries
    }
}
