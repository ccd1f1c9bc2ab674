import Crypto

/// A C2SP signed note (c2sp.org/signed-note): a text, a blank line, and signature lines
/// `— <name> base64(key hint ‖ signature)`.
public struct SignedNote: Sendable, Hashable {
    public struct Signature: Sendable, Hashable {
        public var name: String
        /// The first four bytes of the signer's key ID.
        public var keyHint: [UInt8]
        public var signature: [UInt8]

        public init(name: String, keyHint: [UInt8], signature: [UInt8]) {
            self.name = name
            self.keyHint = keyHint
            self.signature = signature
        }
    }

    /// The signed text, through its final newline.
    public var text: String
    public var signatures: [Signature]

    public static let maxBytes = 1 << 20
    public static let maxSignatures = 100

    public init(text: String, signatures: [Signature]) {
        self.text = text
        self.signatures = signatures
    }

    /// Parses a note. The text must end in a newline and contain no blank line; there must be
    /// at least one well-formed signature line, each ending in a newline.
    public init(parsing note: String, context: String = "checkpoint") throws(FormatError) {
        let bytes = Array(note.utf8)
        guard bytes.count <= Self.maxBytes else {
            throw FormatError(.tooLarge, at: context, "expected a signed note of at most \(Self.maxBytes) bytes, found \(bytes.count)")
        }
        guard let separator = bytes.indices.dropLast().first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw FormatError(.syntax, at: context, "expected a blank line between note text and signatures, found none")
        }
        text = String(decoding: bytes[...separator], as: UTF8.self)
        let block = bytes[(separator + 2)...]
        guard !block.isEmpty, block.last == 0x0A else {
            throw FormatError(.syntax, at: context, "expected signature lines ending in a newline after the blank line")
        }
        let emDashSpace: [UInt8] = [0xE2, 0x80, 0x94, 0x20]
        var signatures: [Signature] = []
        for line in block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard signatures.count < Self.maxSignatures else {
                throw FormatError(.tooLarge, at: context, "expected at most \(Self.maxSignatures) signature lines")
            }
            func malformed() -> FormatError {
                FormatError(
                    .syntax, at: context,
                    "expected \"— <name> <base64 key hint and signature>\", found \"\(ProtoJSONObject.preview(String(decoding: line, as: UTF8.self)))\"")
            }
            guard line.starts(with: emDashSpace) else { throw malformed() }
            let fields = line.dropFirst(4).split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count == 2, !fields[0].isEmpty,
                let decoded = fields[1].withContiguousStorageIfAvailable({ Base64.decode(utf8: $0) })
                    ?? Base64.decode(String(decoding: fields[1], as: UTF8.self)),
                decoded.count > 4
            else { throw malformed() }
            signatures.append(
                Signature(name: String(decoding: fields[0], as: UTF8.self), keyHint: Array(decoded.prefix(4)), signature: Array(decoded.dropFirst(4))))
        }
        self.signatures = signatures
    }

    /// The serialized note.
    public var serialized: String {
        var output = text + "\n"
        for signature in signatures {
            output += "\u{2014} \(signature.name) \(Base64.encode(signature.keyHint + signature.signature))\n"
        }
        return output
    }

    /// The C2SP key ID of an Ed25519 note key: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ raw key).
    public static func ed25519KeyID(name: String, rawKey: [UInt8]) -> [UInt8] {
        sha256(Array(name.utf8) + [0x0A, 0x01] + rawKey)
    }

    /// The key ID Sigstore uses for an ECDSA note key: SHA-256 of its DER SubjectPublicKeyInfo.
    public static func ecdsaKeyID(spki: [UInt8]) -> [UInt8] {
        sha256(spki)
    }

    /// Whether a signature line verifies with `key`: Ed25519 over the text, ECDSA over
    /// SHA-256 of the text.
    public func isValid(_ signature: Signature, key: VerificationKey) -> Bool {
        let message = Array(text.utf8)
        switch key {
        case .ed25519: return key.isValidSignature(signature.signature, message: message)
        default: return key.isValidSignature(signature.signature, message: message, hash: .sha256)
        }
    }
}

/// A transparency-log checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and root hash,
/// then optional extension lines, as the text of a signed note.
public struct Checkpoint: Sendable, Hashable {
    public var origin: String
    public var size: Int64
    public var rootHash: [UInt8]
    public var extensions: [String]

    public init(origin: String, size: Int64, rootHash: [UInt8], extensions: [String] = []) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses the text of a checkpoint note.
    public init(text: String, context: String = "checkpoint") throws(FormatError) {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else {
            throw FormatError(.syntax, at: context, "expected checkpoint text ending in a newline")
        }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw FormatError(.syntax, at: context, "expected origin, tree size and root hash lines, found \(lines.count) line(s)")
        }
        guard !lines[0].isEmpty else { throw FormatError(.syntax, at: context, "expected a non-empty origin line") }
        origin = String(decoding: lines[0], as: UTF8.self)
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.count <= 19, sizeText.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            sizeText.count == 1 || sizeText.first != 0x30,
            let size = Int64(String(decoding: sizeText, as: UTF8.self))
        else {
            throw FormatError(
                .syntax, at: context, "expected a decimal tree size on line 2, found \"\(ProtoJSONObject.preview(String(decoding: sizeText, as: UTF8.self)))\"")
        }
        self.size = size
        guard let root = lines[2].withContiguousStorageIfAvailable({ Base64.decode(utf8: $0) }) ?? nil, root.count == 32 else {
            throw FormatError(
                .syntax, at: context,
                "expected a base64 32-byte root hash on line 3, found \"\(ProtoJSONObject.preview(String(decoding: lines[2], as: UTF8.self)))\"")
        }
        rootHash = root
        extensions = lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) }
        guard extensions.allSatisfy({ !$0.isEmpty }) else {
            throw FormatError(.syntax, at: context, "expected non-empty extension lines")
        }
    }

    /// The note text.
    public var text: String {
        var output = "\(origin)\n\(size)\n\(Base64.encode(rootHash))\n"
        for line in extensions { output += line + "\n" }
        return output
    }
}
