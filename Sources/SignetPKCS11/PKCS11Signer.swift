import CPKCS11
import Crypto
import Dispatch
import Foundation
import SignetCore
import Synchronization

/// A ``Signer`` whose private key lives in a PKCS #11 token and never leaves it.
///
/// The key is the private key object the URI names (`object` and/or `id`); its public key is
/// read from the public key object of the same name. ECDSA keys (P-256, P-384) sign a digest
/// Signet computes with `CKM_ECDSA`, whose raw `r‖s` is converted to a DER `Ecdsa-Sig-Value`
/// (RFC 5480 §2.2 / SEC 1 §C.5); Ed25519 keys sign the message with `CKM_EDDSA`. Opening a
/// signer signs a probe and checks it against the public key, so a mismatched pair is found
/// at start. A signature that fails because the session or the device was lost is retried
/// once on a new session, after logging in again. Calls into the module run off Swift's
/// cooperative threads.
public final class PKCS11Signer: Signer, CustomStringConvertible {
    public let publicKeySPKI: [UInt8]
    public let algorithm: SigningAlgorithm
    public let token: PKCS11Token
    /// The key's URI (without a PIN value when shown).
    public let uri: PKCS11URI
    private let privateKeyTemplate: [Attribute]
    private let handle = Mutex<CK_OBJECT_HANDLE?>(nil)

    private static let queue = DispatchQueue(label: "signet.pkcs11", attributes: .concurrent)

    /// The key `uri` names on `token`.
    public init(token: PKCS11Token, key uri: PKCS11URI) throws(PKCS11Error) {
        guard uri.object != nil || uri.id != nil else {
            throw PKCS11Error(.uri, "expected object= or id= naming the key in \(uri)")
        }
        guard uri.type == nil || uri.type == "private" else {
            throw PKCS11Error(.uri, "expected type=private (the key that signs), found type=\(uri.type ?? "")")
        }
        var selector: [Attribute] = []
        if let object = uri.object { selector.append(Attribute(type: Attribute.label, value: Array(object.utf8))) }
        if let id = uri.id { selector.append(Attribute(type: Attribute.id, value: id)) }
        self.token = token
        self.uri = uri
        self.privateKeyTemplate = [.ulong(Attribute.classType, Constant.privateKeyClass)] + selector
        (publicKeySPKI, algorithm) = try token.withSession { session throws(PKCS11Error) in
            let objects = try token.find([.ulong(Attribute.classType, Constant.publicKeyClass)] + selector, in: session)
            guard objects.count == 1, let object = objects.first else {
                throw PKCS11Error(
                    .notFound, "expected one public key object matching \(uri) (Signet reads the public key from it), found \(objects.count)")
            }
            return try Self.publicKey(token: token, object: object, session: session)
        }
        let probe = Array("signet pkcs11 probe".utf8)
        let signature = try signBlocking(probe)
        guard let key = try? VerificationKey(spki: publicKeySPKI), key.isValidSignature(signature, message: probe, hash: algorithm.hash) else {
            throw PKCS11Error(.unsupportedKey, "the private and public key objects of \(uri) are not one key pair: a probe signature does not verify")
        }
    }

    /// Opens the token `uri` names and the key on it.
    public convenience init(_ uri: PKCS11URI, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PKCS11Error) {
        try self.init(token: try PKCS11Token(uri, environment: environment), key: uri)
    }

    /// Generates a key pair for `algorithm` in `token` under `label`: token objects, the
    /// private key sensitive and not extractable.
    public static func generate(in token: PKCS11Token, label: String, algorithm: SigningAlgorithm) throws(PKCS11Error) -> PKCS11Signer {
        let name = Array(label.utf8)
        let id = Array(SHA256.hash(data: name).prefix(8))
        let (mechanism, parameters): (CK_MECHANISM_TYPE, [UInt8]) =
            switch algorithm {
            case .ecdsaP256SHA256: (Constant.ecKeyPairGeneration, Curve.p256)
            case .ecdsaP384SHA384: (Constant.ecKeyPairGeneration, Curve.p384)
            case .ed25519: (Constant.edwardsKeyPairGeneration, Curve.ed25519)
            }
        let common: [Attribute] = [.bool(Attribute.token, true), Attribute(type: Attribute.label, value: name), Attribute(type: Attribute.id, value: id)]
        let publicTemplate = common + [.bool(Attribute.verify, true), Attribute(type: Attribute.ecParams, value: parameters)]
        let privateTemplate =
            common + [.bool(Attribute.privateType, true), .bool(Attribute.sensitive, true), .bool(Attribute.extractable, false), .bool(Attribute.sign, true)]
        try token.withSession(readWrite: true) { session throws(PKCS11Error) in
            let existing = try token.find([Attribute(type: Attribute.label, value: name)], in: session)
            guard existing.isEmpty else { throw PKCS11Error(.device, "the token already holds an object labelled \(label); refusing to add a second") }
            var mechanismValue = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
            var publicHandle: CK_OBJECT_HANDLE = 0
            var privateHandle: CK_OBJECT_HANDLE = 0
            try Attribute.withTemplate(publicTemplate) { publicPointer, publicCount throws(PKCS11Error) in
                try Attribute.withTemplate(privateTemplate) { privatePointer, privateCount throws(PKCS11Error) in
                    try token.module.call("C_GenerateKeyPair") {
                        $0.C_GenerateKeyPair?(session, &mechanismValue, publicPointer, publicCount, privatePointer, privateCount, &publicHandle, &privateHandle)
                    }
                }
            }
        }
        return try PKCS11Signer(token: token, key: token.uri.naming(object: label))
    }

    public var description: String { "PKCS #11 key \(uri)" }

    public func sign(_ message: [UInt8]) async throws -> [UInt8] {
        try await offload { () throws(PKCS11Error) in try self.signBlocking(message) }
    }

    public func sign(digest: [UInt8]) async throws -> [UInt8] {
        try algorithm.checkDigest(digest)
        return try await offload { () throws(PKCS11Error) in try self.signBlocking(digest: digest) }
    }

    private func offload(_ work: @escaping @Sendable () throws(PKCS11Error) -> [UInt8]) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { () throws(PKCS11Error) in try work() }) }
        }
    }

    private func signBlocking(_ message: [UInt8]) throws(PKCS11Error) -> [UInt8] {
        switch algorithm {
        case .ecdsaP256SHA256: try signBlocking(digest: Array(SHA256.hash(data: message)))
        case .ecdsaP384SHA384: try signBlocking(digest: Array(SHA384.hash(data: message)))
        case .ed25519: try retrying(input: message, mechanism: Constant.eddsa)
        }
    }

    private func signBlocking(digest: [UInt8]) throws(PKCS11Error) -> [UInt8] {
        try retrying(input: digest, mechanism: Constant.ecdsa)
    }

    /// Signs once, and once more on a new session if the session or the device was lost.
    private func retrying(input: [UInt8], mechanism: CK_MECHANISM_TYPE) throws(PKCS11Error) -> [UInt8] {
        do {
            return try signOnce(input, mechanism: mechanism)
        } catch  where error.isSessionLost {
            handle.withLock { $0 = nil }
            token.discardIdleSessions()
            return try signOnce(input, mechanism: mechanism)
        }
    }

    private func signOnce(_ input: [UInt8], mechanism: CK_MECHANISM_TYPE) throws(PKCS11Error) -> [UInt8] {
        let raw = try token.withSession { session throws(PKCS11Error) in
            let key = try keyHandle(session)
            var mechanismValue = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
            try token.module.call("C_SignInit") { $0.C_SignInit?(session, &mechanismValue, key) }
            var data = input
            var signature = [UInt8](repeating: 0, count: 512)
            var length = CK_ULONG(signature.count)
            let count = CK_ULONG(data.count)
            try token.module.call("C_Sign") { functions in
                data.withUnsafeMutableBufferPointer { dataPointer in functions.C_Sign?(session, dataPointer.baseAddress, count, &signature, &length) }
            }
            return Array(signature.prefix(min(Int(clamping: length), signature.count)))
        }
        do {
            switch algorithm {
            case .ecdsaP256SHA256: return Array(try P256.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
            case .ecdsaP384SHA384: return Array(try P384.Signing.ECDSASignature(rawRepresentation: raw).derRepresentation)
            case .ed25519:
                guard raw.count == 64 else { throw PKCS11Error(.device, "expected a 64-byte Ed25519 signature from the token, found \(raw.count) bytes") }
                return raw
            }
        } catch let error as PKCS11Error {
            throw error
        } catch {
            throw PKCS11Error(.device, "the token's ECDSA signature is not r‖s for \(algorithm.rawValue): \(raw.count) bytes")
        }
    }

    private func keyHandle(_ session: CK_SESSION_HANDLE) throws(PKCS11Error) -> CK_OBJECT_HANDLE {
        if let cached = handle.withLock({ $0 }) { return cached }
        let objects = try token.find(privateKeyTemplate, in: session)
        guard objects.count == 1, let object = objects.first else {
            throw PKCS11Error(.notFound, "expected one private key object matching \(uri), found \(objects.count)")
        }
        handle.withLock { $0 = object }
        return object
    }

    /// The SubjectPublicKeyInfo and algorithm of a public key object.
    private static func publicKey(token: PKCS11Token, object: CK_OBJECT_HANDLE, session: CK_SESSION_HANDLE) throws(PKCS11Error) -> ([UInt8], SigningAlgorithm) {
        let keyType = try token.attribute(Attribute.keyType, of: object, in: session)
        let parameters = try token.attribute(Attribute.ecParams, of: object, in: session)
        let encodedPoint = try token.attribute(Attribute.ecPoint, of: object, in: session)
        let ulongType = keyType.count == MemoryLayout<CK_ULONG>.size ? keyType.withUnsafeBytes { $0.loadUnaligned(as: CK_ULONG.self) } : CK_ULONG.max
        do {
            switch (ulongType, parameters) {
            case (Constant.ecKey, Curve.p256):
                let point = Curve.point(encodedPoint, length: 65)
                return (Array(try P256.Signing.PublicKey(x963Representation: point).derRepresentation), .ecdsaP256SHA256)
            case (Constant.ecKey, Curve.p384):
                let point = Curve.point(encodedPoint, length: 97)
                return (Array(try P384.Signing.PublicKey(x963Representation: point).derRepresentation), .ecdsaP384SHA384)
            case (Constant.edwardsKey, Curve.ed25519), (Constant.edwardsKey, Curve.ed25519Name):
                let point = Curve.point(encodedPoint, length: 32)
                guard point.count == 32 else { throw PKCS11Error(.unsupportedKey, "expected a 32-byte Ed25519 point, found \(point.count) bytes") }
                return (Ed25519PublicKey.spki(rawKey: point), .ed25519)
            default:
                throw PKCS11Error(
                    .unsupportedKey,
                    "expected an EC key on P-256 or P-384, or an Ed25519 key; found key type 0x\(String(ulongType, radix: 16)) with other parameters")
            }
        } catch let error as PKCS11Error {
            throw error
        } catch {
            throw PKCS11Error(.unsupportedKey, "the token's public key point is malformed: \(error)")
        }
    }
}

/// `CKA_EC_PARAMS` values (DER namedCurve OIDs, RFC 5480 §2.1.1.1; RFC 8410 §3) and `CKA_EC_POINT` decoding.
enum Curve {
    static let p256: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    static let p384: [UInt8] = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
    static let ed25519: [UInt8] = [0x06, 0x03, 0x2B, 0x65, 0x70]
    /// PKCS #11 3.0 also names Edwards curves by a PrintableString.
    static let ed25519Name: [UInt8] = [0x13, 0x0C] + Array("edwards25519".utf8)

    /// The point of a `CKA_EC_POINT` for a curve whose points are `length` bytes: the DER OCTET
    /// STRING the specification asks for, or the bare point some modules give, told apart by length.
    static func point(_ value: [UInt8], length: Int) -> [UInt8] {
        if value.count == length + 2, value[0] == 0x04, Int(value[1]) == length { return Array(value.dropFirst(2)) }
        return value
    }
}
