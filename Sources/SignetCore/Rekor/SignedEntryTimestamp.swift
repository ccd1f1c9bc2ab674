/// The Rekor v1 signed entry timestamp (SET): the log's promise to include an entry, signed over
/// the RFC 8785 form of `{"body", "integratedTime", "logID", "logIndex"}` with `body` base64,
/// `logID` hex and both integers as JSON numbers.
public enum SignedEntryTimestamp {
    /// The bytes the SET signs.
    public static func payload(body: [UInt8], integratedTime: Int64, logID: [UInt8], logIndex: Int64) throws(FormatError) -> [UInt8] {
        try JSONValue.object(JSONObject([
            ("body", .string(Base64.encode(body))),
            ("integratedTime", .integer(integratedTime)),
            ("logID", .string(Hex.encode(logID))),
            ("logIndex", .integer(logIndex)),
        ])).canonicalBytes()
    }
}
