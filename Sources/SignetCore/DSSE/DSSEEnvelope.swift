/// A DSSE envelope (secure-systems-lab/dsse `envelope.md`; Sigstore `envelope.proto`).
public struct DSSEEnvelope: Sendable, Hashable {
    public struct Signature: Sendable, Hashable {
        public var signature: [UInt8]
        public var keyID: String?

        public init(signature: [UInt8], keyID: String? = nil) {
            self.signature = signature
            self.keyID = keyID
        }
    }

    public var payload: [UInt8]
    public var payloadType: String
    public var signatures: [Signature]

    public init(payload: [UInt8], payloadType: String, signatures: [Signature]) {
        self.payload = payload
        self.payloadType = payloadType
        self.signatures = signatures
    }

    /// The in-toto payload type.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// The pre-authentication encoding that the signatures cover:
    /// `"DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload`, lengths in ASCII decimal.
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        var output = Array("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8)
        output.append(contentsOf: payload)
        return output
    }

    public var preAuthenticationEncoding: [UInt8] {
        Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    }

    /// Reads an envelope from its protobuf-JSON form.
    public init(json value: JSONValue, path: String) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: path)
        payload = try object.requiredBytes("payload")
        payloadType = try object.requiredString("payloadType")
        signatures = []
        for (element, elementPath) in try object.array("signatures") {
            var signature = try ProtoJSONObject(element, path: elementPath)
            signatures.append(Signature(signature: try signature.requiredBytes("sig"), keyID: try signature.string("keyid")))
            try signature.finish()
        }
        try object.finish()
    }

    /// The protobuf-JSON form, members in the order Sigstore clients write them.
    public var json: JSONValue {
        .object(
            JSONObject([
                ("payload", .string(Base64.encode(payload))),
                ("payloadType", .string(payloadType)),
                (
                    "signatures",
                    .array(
                        signatures.map { signature in
                            var member = JSONObject([("sig", .string(Base64.encode(signature.signature)))])
                            if let keyID = signature.keyID { member["keyid"] = .string(keyID) }
                            return .object(member)
                        })
                ),
            ]))
    }
}
