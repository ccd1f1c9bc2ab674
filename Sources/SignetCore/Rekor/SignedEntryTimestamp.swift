/// The Rekor v1 signed entry timestamp (SET): the log's promise to include an entry, signed over
/// the RFC 8785 form of `{"body", "integratedTime", "logID", "logIndex"}` with `body` base64,
/// `logID` hex and both integers as JSON numbers.
public enum SignedEntryTimestamp {
    /// The bytes the SET signs.
    /// The members are fixed, already in RFC 8785 order, and their values need no escaping
    /// (base64, hex and integers), so the canonical bytes are written directly.
    public static func payload(body: [UInt8], integratedTime: Int64, logID: [UInt8], logIndex: Int64) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(body.count * 4 / 3 + 160)
        output.append(contentsOf: #"{"body":""#.utf8)
        output.append(contentsOf: Base64.encode(body).utf8)
        output.append(contentsOf: #"","integratedTime":"#.utf8)
        output.append(contentsOf: String(integratedTime).utf8)
        output.append(contentsOf: #","logID":""#.utf8)
        output.append(contentsOf: Hex.encode(logID).utf8)
        output.append(contentsOf: #"","logIndex":"#.utf8)
        output.append(contentsOf: String(logIndex).utf8)
        output.append(UInt8(ascii: "}"))
        return output
    }
}
