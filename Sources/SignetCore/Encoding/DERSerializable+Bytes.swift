import SwiftASN1

extension DERSerializable {
    /// The element's DER encoding (X.690 §10).
    public func derBytes() throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(self)
        return serializer.serializedBytes
    }
}
