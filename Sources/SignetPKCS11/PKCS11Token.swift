import CPKCS11
import Dispatch
import Foundation
import Synchronization

/// One token of a PKCS #11 module, logged in as its user: the keys Signet signs with and
/// generates live here, and never leave it.
///
/// Sessions are pooled: an operation takes an idle session (or opens one and logs in),
/// and gives it back when it succeeds. A session an operation failed in is closed, never
/// reused.
public final class PKCS11Token: Sendable {
    let module: PKCS11Module
    let slot: CK_SLOT_ID
    /// The URI the token was opened with: its key objects are named relative to it.
    public let uri: PKCS11URI
    private let pin: [UInt8]
    private let idle = Mutex<[CK_SESSION_HANDLE]>([])
    /// At most ``maxSessions`` sessions are in use at once: tokens limit them (some to 16), and
    /// an operation waits for one rather than fail with `CKR_SESSION_COUNT`.
    private let inUse = DispatchSemaphore(value: PKCS11Token.maxSessions)

    /// The most sessions of one token Signet uses at once.
    public static let maxSessions = 8

    /// The environment variable holding the user PIN when the URI gives none.
    public static let pinEnvironmentVariable = "SIGNET_PKCS11_PIN"

    /// Opens the token `uri` selects (by `token`, `manufacturer`, `serial`, `model`,
    /// `slot-id`; exactly one must match) in the module at its `module-path`, and logs in with
    /// the PIN from `pin-value`, `pin-source` or ``pinEnvironmentVariable``.
    public init(_ uri: PKCS11URI, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PKCS11Error) {
        guard let path = uri.modulePath else {
            throw PKCS11Error(.uri, "expected module-path in the URI's query (the PKCS #11 library to load), found none in \(uri)")
        }
        let module = try PKCS11Module.load(path)
        let tokens = try module.tokens()
        let matching = tokens.filter { slot, info in
            (uri.token.map { $0 == info.labelText } ?? true) && (uri.manufacturer.map { $0 == info.manufacturerText } ?? true)
                && (uri.serial.map { $0 == info.serialText } ?? true) && (uri.model.map { $0 == info.modelText } ?? true)
                && (uri.slotID.map { CK_SLOT_ID($0) == slot } ?? true)
        }
        guard matching.count == 1, let chosen = matching.first else {
            // CKF_TOKEN_INITIALIZED: a slot's blank token has no label worth naming.
            let present = tokens.filter { $0.info.flags & Constant.tokenInitialized != 0 }.map { "\"\($0.info.labelText)\"" }.joined(separator: ", ")
            throw PKCS11Error(
                .notFound,
                "expected exactly one token matching \(uri) in \(path), found \(matching.count) (tokens present: \(present.isEmpty ? "none" : present))")
        }
        self.module = module
        self.slot = chosen.slot
        self.uri = uri
        self.pin = try Self.pin(uri, environment: environment)
        // Log in now, so a wrong PIN is reported when the token is opened, not at first use.
        try withSession { _ throws(PKCS11Error) in }
    }

    private static func pin(_ uri: PKCS11URI, environment: [String: String]) throws(PKCS11Error) -> [UInt8] {
        if let value = uri.pinValue { return Array(value.utf8) }
        if let source = uri.pinSource {
            let path = source.hasPrefix("file:") ? String(source.dropFirst("file:".count)).replacingOccurrences(of: "//", with: "", options: .anchored) : source
            guard let data = FileManager.default.contents(atPath: path), data.count <= 1024 else {
                throw PKCS11Error(.pin, "cannot read the PIN from pin-source \(path) (expected a readable file of at most 1024 bytes)")
            }
            if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw PKCS11Error(
                    .pin, "expected the pin-source \(path) to be readable by its owner only (mode 600), found mode \(String(mode, radix: 8))")
            }
            var bytes = Array(data)
            while bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
            return bytes
        }
        if let value = environment[pinEnvironmentVariable], !value.isEmpty { return Array(value.utf8) }
        throw PKCS11Error(.pin, "expected the token's user PIN in the URI (pin-source or pin-value) or in \(pinEnvironmentVariable), found none")
    }

    /// Runs `body` with a logged-in session of this token.
    func withSession<Result>(readWrite: Bool = false, _ body: (CK_SESSION_HANDLE) throws(PKCS11Error) -> Result) throws(PKCS11Error) -> Result {
        inUse.wait()
        defer { inUse.signal() }
        let pooled = readWrite ? nil : idle.withLock { $0.popLast() }
        let session: CK_SESSION_HANDLE
        if let pooled { session = pooled } else { session = try open(readWrite: readWrite) }
        let result: Result
        do {
            result = try body(session)
        } catch {
            close(session)
            throw error
        }
        if readWrite { close(session) } else { idle.withLock { $0.append(session) } }
        return result
    }

    /// The pooled sessions (for tests that pull one from under the pool).
    func idleSessions() -> [CK_SESSION_HANDLE] { idle.withLock { $0 } }

    /// Closes every idle session: after a device error, none of them is trusted.
    func discardIdleSessions() {
        for session in idle.withLock({ sessions in
            defer { sessions.removeAll() }
            return sessions
        }) {
            close(session)
        }
    }

    private func open(readWrite: Bool) throws(PKCS11Error) -> CK_SESSION_HANDLE {
        var session: CK_SESSION_HANDLE = 0
        let flags: CK_FLAGS = Constant.serialSession | (readWrite ? Constant.readWriteSession : 0)
        try module.call("C_OpenSession") { $0.C_OpenSession?(slot, flags, nil, nil, &session) }
        var pin = self.pin
        let count = CK_ULONG(pin.count)
        let value = pin.withUnsafeMutableBufferPointer { buffer in module.functions.pointee.C_Login?(session, Constant.user, buffer.baseAddress, count) }
        guard value == ReturnValue.ok || value == ReturnValue.userAlreadyLoggedIn else {
            close(session)
            guard let value else { throw PKCS11Error(.module, "\(module.path) does not implement C_Login") }
            var error = PKCS11Error.call("C_Login", value)
            if error.code == .pin { error.reason = "the token \(uri) refused the PIN: C_Login returned \(ReturnValue.name(value))" }
            throw error
        }
        return session
    }

    private func close(_ session: CK_SESSION_HANDLE) {
        _ = module.functions.pointee.C_CloseSession?(session)
    }

    /// The handles of the objects matching `template` (at most `limit`).
    func find(_ template: [Attribute], in session: CK_SESSION_HANDLE, limit: Int = 2) throws(PKCS11Error) -> [CK_OBJECT_HANDLE] {
        try Attribute.withTemplate(template) { pointer, count throws(PKCS11Error) in
            try module.call("C_FindObjectsInit") { $0.C_FindObjectsInit?(session, pointer, count) }
        }
        var handles = [CK_OBJECT_HANDLE](repeating: 0, count: limit)
        var found: CK_ULONG = 0
        let searched = Result { () throws(PKCS11Error) in
            try module.call("C_FindObjects") { $0.C_FindObjects?(session, &handles, CK_ULONG(limit), &found) }
        }
        try module.call("C_FindObjectsFinal") { $0.C_FindObjectsFinal?(session) }
        try searched.get()
        return Array(handles.prefix(Int(found)))
    }

    /// The value of one attribute of an object.
    func attribute(_ type: CK_ATTRIBUTE_TYPE, of object: CK_OBJECT_HANDLE, in session: CK_SESSION_HANDLE) throws(PKCS11Error) -> [UInt8] {
        var template = CK_ATTRIBUTE(type: type, pValue: nil, ulValueLen: 0)
        try module.call("C_GetAttributeValue") { $0.C_GetAttributeValue?(session, object, &template, 1) }
        guard template.ulValueLen <= 4096 else {
            throw PKCS11Error(.unsupportedKey, "attribute 0x\(String(type, radix: 16)) is \(template.ulValueLen) bytes; expected at most 4096")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(Int(template.ulValueLen), 1), alignment: 8)
        defer { buffer.deallocate() }
        template.pValue = buffer.baseAddress
        try module.call("C_GetAttributeValue") { $0.C_GetAttributeValue?(session, object, &template, 1) }
        return Array(buffer.prefix(min(Int(clamping: template.ulValueLen), buffer.count)))
    }
}

/// One `CK_ATTRIBUTE` of a search or generation template, owning its value.
struct Attribute {
    var type: CK_ATTRIBUTE_TYPE
    var value: [UInt8]

    static let classType: CK_ATTRIBUTE_TYPE = 0x000
    static let token: CK_ATTRIBUTE_TYPE = 0x001
    static let privateType: CK_ATTRIBUTE_TYPE = 0x002
    static let label: CK_ATTRIBUTE_TYPE = 0x003
    static let keyType: CK_ATTRIBUTE_TYPE = 0x100
    static let id: CK_ATTRIBUTE_TYPE = 0x102
    static let sensitive: CK_ATTRIBUTE_TYPE = 0x103
    static let sign: CK_ATTRIBUTE_TYPE = 0x108
    static let verify: CK_ATTRIBUTE_TYPE = 0x10A
    static let extractable: CK_ATTRIBUTE_TYPE = 0x162
    static let ecParams: CK_ATTRIBUTE_TYPE = 0x180
    static let ecPoint: CK_ATTRIBUTE_TYPE = 0x181

    static func bool(_ type: CK_ATTRIBUTE_TYPE, _ value: Bool) -> Attribute {
        Attribute(type: type, value: [value ? 1 : 0])
    }

    static func ulong(_ type: CK_ATTRIBUTE_TYPE, _ value: CK_ULONG) -> Attribute {
        Attribute(type: type, value: withUnsafeBytes(of: value) { Array($0) })
    }

    /// Calls `body` with a C template whose values stay valid for the call.
    static func withTemplate<Result>(
        _ attributes: [Attribute], _ body: (UnsafeMutablePointer<CK_ATTRIBUTE>?, CK_ULONG) throws(PKCS11Error) -> Result
    ) throws(PKCS11Error) -> Result {
        let buffers = attributes.map { attribute in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(attribute.value.count, 1), alignment: 8)
            buffer.copyBytes(from: attribute.value)
            return buffer
        }
        defer { for buffer in buffers { buffer.deallocate() } }
        var template = zip(attributes, buffers).map { attribute, buffer in
            CK_ATTRIBUTE(type: attribute.type, pValue: buffer.baseAddress, ulValueLen: CK_ULONG(attribute.value.count))
        }
        let count = CK_ULONG(template.count)
        return try template.withUnsafeMutableBufferPointer { pointer throws(PKCS11Error) in try body(pointer.baseAddress, count) }
    }
}
