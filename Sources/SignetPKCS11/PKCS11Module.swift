import CPKCS11
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A PKCS #11 module (a shared library) loaded at run time and initialised for this process.
///
/// A module is loaded and `C_Initialize`d once per path and stays loaded: tokens and signers
/// share it, and PKCS #11 allows one initialisation per process. It is initialised with
/// `CKF_OS_LOCKING_OK`, so sessions may be used from several threads.
final class PKCS11Module: @unchecked Sendable {
    // @unchecked: `functions` points at the module's immutable function table, valid while
    // the library stays loaded (forever: modules are never unloaded).
    let path: String
    let functions: UnsafeMutablePointer<CK_FUNCTION_LIST>

    private init(path: String, functions: UnsafeMutablePointer<CK_FUNCTION_LIST>) {
        self.path = path
        self.functions = functions
    }

    private static let loaded = Mutex<[String: PKCS11Module]>([:])

    /// The module at `path`, loaded and initialised on first use.
    static func load(_ path: String) throws(PKCS11Error) -> PKCS11Module {
        let result: Result<PKCS11Module, PKCS11Error> = loaded.withLock { modules in
            if let module = modules[path] { return .success(module) }
            do throws(PKCS11Error) {
                let module = try open(path)
                modules[path] = module
                return .success(module)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func open(_ path: String) throws(PKCS11Error) -> PKCS11Module {
        guard path.hasPrefix("/") else {
            throw PKCS11Error(.module, "expected module-path to be an absolute path to a PKCS #11 library, found \"\(PKCS11URI.preview(path))\"")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw PKCS11Error(.module, "cannot load the PKCS #11 module \(path): \(reason)")
        }
        guard let symbol = dlsym(handle, "C_GetFunctionList") else {
            dlclose(handle)
            throw PKCS11Error(.module, "\(path) is not a PKCS #11 module: it has no C_GetFunctionList")
        }
        let getFunctionList = unsafeBitCast(symbol, to: CK_C_GetFunctionList.self)
        var list: UnsafeMutablePointer<CK_FUNCTION_LIST>?
        let value = getFunctionList(&list)
        guard value == ReturnValue.ok, let list else {
            throw PKCS11Error(.module, "C_GetFunctionList of \(path) returned \(ReturnValue.name(value))", returnValue: value)
        }
        guard list.pointee.version.major >= 2, let initialize = list.pointee.C_Initialize else {
            throw PKCS11Error(.module, "\(path) implements PKCS #11 \(list.pointee.version.major).\(list.pointee.version.minor); expected 2.x or later")
        }
        var arguments = CK_C_INITIALIZE_ARGS(
            CreateMutex: nil, DestroyMutex: nil, LockMutex: nil, UnlockMutex: nil, flags: Constant.osLockingOK, pReserved: nil)
        let initialized = initialize(&arguments)
        guard initialized == ReturnValue.ok || initialized == ReturnValue.cryptokiAlreadyInitialized else {
            throw PKCS11Error(.module, "C_Initialize of \(path) returned \(ReturnValue.name(initialized))", returnValue: initialized)
        }
        return PKCS11Module(path: path, functions: list)
    }

    /// Calls a function of the table, turning a missing entry or a failure into an error.
    func call(_ name: String, _ body: (CK_FUNCTION_LIST) -> CK_RV?) throws(PKCS11Error) {
        guard let value = body(functions.pointee) else {
            throw PKCS11Error(.module, "\(path) does not implement \(name)")
        }
        guard value == ReturnValue.ok else { throw PKCS11Error.call(name, value) }
    }

    /// The token information of every slot with a token present.
    func tokens() throws(PKCS11Error) -> [(slot: CK_SLOT_ID, info: CK_TOKEN_INFO)] {
        var count: CK_ULONG = 0
        try call("C_GetSlotList") { $0.C_GetSlotList?(1, nil, &count) }
        guard count <= 4096 else { throw PKCS11Error(.module, "\(path) reports \(count) slots; expected at most 4096") }
        var slots = [CK_SLOT_ID](repeating: 0, count: Int(count))
        try call("C_GetSlotList") { $0.C_GetSlotList?(1, &slots, &count) }
        var result: [(CK_SLOT_ID, CK_TOKEN_INFO)] = []
        for slot in slots.prefix(Int(clamping: count)) {
            var info = CK_TOKEN_INFO()
            try call("C_GetTokenInfo") { $0.C_GetTokenInfo?(slot, &info) }
            result.append((slot, info))
        }
        return result
    }
}

extension CK_TOKEN_INFO {
    /// A blank-padded text field of the structure, trimmed.
    static func text<T>(_ field: T) -> String {
        withUnsafeBytes(of: field) { bytes in
            var characters = Array(bytes)
            while characters.last == 0x20 || characters.last == 0 { characters.removeLast() }
            return String(decoding: characters, as: UTF8.self)
        }
    }

    var labelText: String { Self.text(label) }
    var manufacturerText: String { Self.text(manufacturerID) }
    var modelText: String { Self.text(model) }
    var serialText: String { Self.text(serialNumber) }
}
