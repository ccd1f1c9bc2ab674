import CPKCS11

/// Why a PKCS #11 operation failed. The code is stable; the reason names the URI (never its
/// PIN), the function and the module's return value.
public struct PKCS11Error: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The URI is malformed or names something Signet does not support.
        case uri = "uri"
        /// The module could not be loaded or initialised.
        case module = "module"
        /// No token or key matches the URI, or more than one does.
        case notFound = "not-found"
        /// The PIN is missing, wrong or locked.
        case pin = "pin"
        /// The key is not a kind Signet signs with.
        case unsupportedKey = "unsupported-key"
        /// The token failed an operation.
        case device = "device"
    }

    public var code: Code
    public var reason: String
    /// The module's return value, when the failure is one.
    public var returnValue: CK_RV?

    public init(_ code: Code, _ reason: String, returnValue: CK_RV? = nil) {
        self.code = code
        self.reason = reason
        self.returnValue = returnValue
    }

    public var description: String { "\(code.rawValue): \(reason)" }

    /// A failed call: `function` returned `value`.
    static func call(_ function: String, _ value: CK_RV) -> PKCS11Error {
        let code: Code =
            switch value {
            case ReturnValue.pinIncorrect, ReturnValue.pinInvalid, ReturnValue.pinLenRange, ReturnValue.pinLocked, ReturnValue.userPINNotInitialized: .pin
            default: .device
            }
        return PKCS11Error(code, "\(function) returned \(ReturnValue.name(value))", returnValue: value)
    }

    /// Whether reopening the session (and logging in again) may cure the failure.
    var isSessionLost: Bool {
        guard let returnValue else { return false }
        return [
            ReturnValue.sessionHandleInvalid, ReturnValue.sessionClosed, ReturnValue.deviceError, ReturnValue.deviceRemoved, ReturnValue.tokenNotPresent,
            ReturnValue.userNotLoggedIn, ReturnValue.keyHandleInvalid, ReturnValue.objectHandleInvalid, ReturnValue.cryptokiNotInitialized,
            ReturnValue.operationActive,
        ].contains(returnValue)
    }
}

/// The PKCS #11 v2.40 constants Signet passes (§3 and the mechanisms' sections).
enum Constant {
    /// `CKF_OS_LOCKING_OK`: the module may use the operating system's locks.
    static let osLockingOK: CK_FLAGS = 0x02
    static let readWriteSession: CK_FLAGS = 0x02
    static let serialSession: CK_FLAGS = 0x04
    static let tokenInitialized: CK_FLAGS = 0x400
    /// `CKU_USER`.
    static let user: CK_USER_TYPE = 1
    static let publicKeyClass: CK_OBJECT_CLASS = 2
    static let privateKeyClass: CK_OBJECT_CLASS = 3
    static let ecKey: CK_KEY_TYPE = 0x03
    static let edwardsKey: CK_KEY_TYPE = 0x40
    static let ecKeyPairGeneration: CK_MECHANISM_TYPE = 0x1040
    static let ecdsa: CK_MECHANISM_TYPE = 0x1041
    static let edwardsKeyPairGeneration: CK_MECHANISM_TYPE = 0x1055
    static let eddsa: CK_MECHANISM_TYPE = 0x1057
}

/// The `CKR_` return values Signet tells apart (PKCS #11 v2.40 §5.1.5 and §11.1).
enum ReturnValue {
    static let ok: CK_RV = 0
    static let deviceError: CK_RV = 0x30
    static let deviceRemoved: CK_RV = 0x32
    static let keyHandleInvalid: CK_RV = 0x60
    static let objectHandleInvalid: CK_RV = 0x82
    static let operationActive: CK_RV = 0x90
    static let pinIncorrect: CK_RV = 0xA0
    static let pinInvalid: CK_RV = 0xA1
    static let pinLenRange: CK_RV = 0xA2
    static let pinLocked: CK_RV = 0xA4
    static let sessionClosed: CK_RV = 0xB0
    static let sessionHandleInvalid: CK_RV = 0xB3
    static let tokenNotPresent: CK_RV = 0xE0
    static let userAlreadyLoggedIn: CK_RV = 0x100
    static let userNotLoggedIn: CK_RV = 0x101
    static let userPINNotInitialized: CK_RV = 0x102
    static let bufferTooSmall: CK_RV = 0x150
    static let cryptokiNotInitialized: CK_RV = 0x190
    static let cryptokiAlreadyInitialized: CK_RV = 0x191

    static let names: [CK_RV: String] = [
        0x00: "CKR_OK", 0x01: "CKR_CANCEL", 0x02: "CKR_HOST_MEMORY", 0x03: "CKR_SLOT_ID_INVALID", 0x05: "CKR_GENERAL_ERROR",
        0x06: "CKR_FUNCTION_FAILED", 0x07: "CKR_ARGUMENTS_BAD", 0x11: "CKR_ATTRIBUTE_SENSITIVE", 0x12: "CKR_ATTRIBUTE_TYPE_INVALID",
        0x13: "CKR_ATTRIBUTE_VALUE_INVALID", 0x21: "CKR_DATA_LEN_RANGE", 0x30: "CKR_DEVICE_ERROR", 0x31: "CKR_DEVICE_MEMORY",
        0x32: "CKR_DEVICE_REMOVED", 0x60: "CKR_KEY_HANDLE_INVALID", 0x63: "CKR_KEY_TYPE_INCONSISTENT", 0x70: "CKR_MECHANISM_INVALID",
        0x82: "CKR_OBJECT_HANDLE_INVALID", 0x90: "CKR_OPERATION_ACTIVE", 0xA0: "CKR_PIN_INCORRECT", 0xA1: "CKR_PIN_INVALID",
        0xA2: "CKR_PIN_LEN_RANGE", 0xA4: "CKR_PIN_LOCKED", 0xB0: "CKR_SESSION_CLOSED", 0xB1: "CKR_SESSION_COUNT",
        0xB3: "CKR_SESSION_HANDLE_INVALID", 0xB5: "CKR_SESSION_READ_ONLY", 0xD0: "CKR_TEMPLATE_INCOMPLETE", 0xD1: "CKR_TEMPLATE_INCONSISTENT",
        0xE0: "CKR_TOKEN_NOT_PRESENT", 0xE1: "CKR_TOKEN_NOT_RECOGNIZED", 0xE2: "CKR_TOKEN_WRITE_PROTECTED", 0x100: "CKR_USER_ALREADY_LOGGED_IN",
        0x101: "CKR_USER_NOT_LOGGED_IN", 0x102: "CKR_USER_PIN_NOT_INITIALIZED", 0x130: "CKR_DOMAIN_PARAMS_INVALID",
        0x140: "CKR_CURVE_NOT_SUPPORTED", 0x150: "CKR_BUFFER_TOO_SMALL", 0x190: "CKR_CRYPTOKI_NOT_INITIALIZED",
        0x191: "CKR_CRYPTOKI_ALREADY_INITIALIZED",
    ]

    static func name(_ value: CK_RV) -> String {
        names[value] ?? "0x" + String(value, radix: 16, uppercase: true)
    }
}
