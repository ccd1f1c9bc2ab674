extension FulcioExtension {
    /// The provenance a signer may state when its token's claims do not (`signet artifact sign
    /// --source-repository-ref` and the other provenance flags, or an API key's signer): the
    /// source and build facts, never the identity or the issuer.
    public static let assertable: [FulcioExtension] = [
        .sourceRepositoryURI, .sourceRepositoryRef, .sourceRepositoryDigest, .sourceRepositoryOwnerURI,
        .runnerEnvironment, .buildConfigURI, .buildConfigDigest,
    ]

    /// The longest stated provenance value accepted, in bytes.
    public static let maxAssertedBytes = 1024

    /// Checks a stated provenance value: this extension must be ``assertable``, and the value
    /// 1 to ``maxAssertedBytes`` bytes of printable text.
    public func checkAsserted(_ value: String) throws(FormatError) {
        guard Self.assertable.contains(self) else {
            throw FormatError(
                .unsupported, at: fieldName,
                "expected one of \(Self.assertable.map(\.fieldName).joined(separator: ", ")), found \(fieldName), which only the token may set")
        }
        guard !value.isEmpty, value.utf8.count <= Self.maxAssertedBytes else {
            throw FormatError(.invalidValue, at: fieldName, "expected 1 to \(Self.maxAssertedBytes) bytes, found \(value.utf8.count)")
        }
        guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw FormatError(.invalidValue, at: fieldName, "expected printable text, found control characters in \"\(ProtoJSONObject.preview(value))\"")
        }
    }
}
