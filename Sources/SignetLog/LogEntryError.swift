import SignetCore

/// The one error type of SignetLog: why an entry was not admitted. `code` is stable; the HTTP
/// status is decided at the server's edge.
public struct LogEntryError: CodedError, Hashable {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The request is not a well-formed proposed entry.
        case invalidEntry = "invalid-entry"
        /// The entry kind, version, hash or key type is not one the log accepts.
        case unsupported = "unsupported"
        /// The entry's signature does not verify with the key or certificate it carries.
        case signatureInvalid = "signature-invalid"
        /// The log could not commit the entry (its store failed); nothing was appended, so the
        /// request may be retried.
        case unavailable = "unavailable"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }
}
