import Foundation
import SignetCore
import SignetVerify

/// Reading the command's inputs from disk, with bounds, and turning every failure into a
/// one-line ``CommandFailure``.
enum InputFiles {
    /// Reads a whole file of at most `maxBytes`, refusing larger files before reading them.
    static func read(_ path: String, what: String, maxBytes: Int) throws(CommandFailure) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unusable("cannot read \(what) \"\(path)\": no such readable file")
        }
        defer { try? handle.close() }
        do {
            let size = try handle.seekToEnd()
            guard size <= UInt64(maxBytes) else {
                throw CommandFailure.unusable("\(what) \"\(path)\" is \(size) bytes; expected at most \(maxBytes)")
            }
            try handle.seek(toOffset: 0)
            return Array(try handle.readToEnd() ?? Data())
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw .unusable("cannot read \(what) \"\(path)\": \(error.localizedDescription)")
        }
    }

    /// Streams a file through SHA-256/384/512 without holding it in memory.
    static func artifact(at path: String) throws(CommandFailure) -> Artifact {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let handle = FileHandle(forReadingAtPath: path)
        else {
            throw .unusable("cannot read artifact \"\(path)\": no such readable file (or give a digest as sha256:<64 hex>)")
        }
        defer { try? handle.close() }
        var hasher = ArtifactHasher()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(chunk)
            }
        } catch {
            throw .unusable("cannot read artifact \"\(path)\": \(error.localizedDescription)")
        }
        return hasher.finalize()
    }

    /// The artifact argument of the conformance protocol: `sha256:<hex>` unless a file of that
    /// name exists, else a path.
    static func artifact(argument: String) throws(CommandFailure) -> Artifact {
        if !FileManager.default.fileExists(atPath: argument), let digest = Artifact.parseDigest(argument) {
            return digest
        }
        if argument.hasPrefix("sha256:") && !FileManager.default.fileExists(atPath: argument) {
            throw .unusable("expected a digest as sha256:<64 lower-case hex digits> or a file, found \"\(ProtoJSONObject.preview(argument))\"")
        }
        return try artifact(at: argument)
    }

    static func bundle(_ path: String) throws(CommandFailure) -> SigstoreBundle {
        let bytes = try read(path, what: "bundle", maxBytes: SigstoreBundle.maxBytes)
        do {
            return try SigstoreBundle(jsonBytes: bytes)
        } catch {
            throw .unusable("bundle \"\(path)\" is not a usable Sigstore bundle: \(error)")
        }
    }

    static func trustedRoot(path: String?, trustConfig: String?, staging: Bool) throws(CommandFailure) -> TrustedRoot {
        let bytes: [UInt8]
        if let trustConfig {
            bytes = try read(trustConfig, what: "trust config", maxBytes: TrustedRoot.maxBytes)
        } else if let path {
            bytes = try read(path, what: "trusted root", maxBytes: TrustedRoot.maxBytes)
        } else {
            bytes = Array((staging ? PublicGoodTrustedRoot.staging : PublicGoodTrustedRoot.production).utf8)
        }
        do {
            return trustConfig != nil ? try ClientTrustConfig(jsonBytes: bytes).trustedRoot : try TrustedRoot(jsonBytes: bytes)
        } catch {
            throw .unusable("the trusted root is not usable: \(error)")
        }
    }

    static func key(_ path: String) throws(CommandFailure) -> (VerificationKey, [UInt8]) {
        let bytes = try read(path, what: "public key", maxBytes: 1 << 20)
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let key = try VerificationKey(pem: text, context: "key")
            return (key, try PEM.decodeAll(text, context: "key")[0].der)
        } catch {
            throw .unusable("public key \"\(path)\" is not usable: \(error)")
        }
    }
}
