/// The one error type of SignetCore: a malformed or unsupported input.
///
/// Every case carries where in the input the problem is (`path`, a JSON pointer-like location or
/// the name of a structure) and says what was expected and what was found. `code` is stable and
/// documented; callers may switch on it.
public struct FormatError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of problem.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The input is larger than the configured bound.
        case tooLarge = "input-too-large"
        /// The input nests deeper than the configured bound.
        case tooDeep = "input-too-deep"
        /// The input is not syntactically valid (JSON, DER, PEM, base64, note text).
        case syntax = "syntax"
        /// A value has the wrong type or is out of range.
        case invalidValue = "invalid-value"
        /// A required member is missing.
        case missingField = "missing-field"
        /// A member that the schema does not define is present.
        case unknownField = "unknown-field"
        /// A media type, version, kind or algorithm that Signet does not support.
        case unsupported = "unsupported"
    }

    public var code: Code
    /// Where the problem is, e.g. `bundle.verificationMaterial.tlogEntries[0].logIndex`.
    public var path: String
    /// What was expected and what was found.
    public var reason: String
    /// The byte offset in the input where the problem is, when a parser knows it (a JSON syntax
    /// error), so a caller can name the line.
    public var offset: Int?

    public init(_ code: Code, at path: String, _ reason: String, offset: Int? = nil) {
        self.code = code
        self.path = path
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        path.isEmpty ? reason : "\(path): \(reason)"
    }
}

/// An error with a stable, documented code and a reason that says what was expected and what
/// was found: the shape of every Signet module's error, so the edges (CLI, HTTP) render them
/// alike.
public protocol CodedError: Error, CustomStringConvertible, Sendable {
    associatedtype Code: RawRepresentable where Code.RawValue == String
    var code: Code { get }
    var reason: String { get }
}

extension CodedError {
    public var description: String { "\(code.rawValue): \(reason)" }
}
