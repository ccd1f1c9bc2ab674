import SignetCore
import SignetStore

extension SignatureRecord {
    /// The signature as the API shows it; the stored bundle only where a client verifies it.
    func json(includingBundle: Bool) -> JSONValue {
        json(bundle: includingBundle ? (try? JSONParser(maxBytes: SigstoreBundle.maxBytes).parse(bundle, context: "bundle")) ?? .null : nil)
    }

    /// The signature as the API shows it, with `bundle` if given (an attestation's whole again).
    func json(bundle: JSONValue?) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("id", .string(id)), ("namespace", .string(namespace)), ("name", .string(name.description)),
            ("identity", .string(identity)), ("issuer", .string(issuer)),
            ("provenance", provenance.json), ("statedProvenance", statedProvenance.json),
            ("logIndex", .integer(logIndex)), ("signedAt", .string(signedAt.rfc3339)), ("certificateSerial", .string(certificateSerial)),
            ("revocation", revocation.map(\.json) ?? .null), ("predicateType", attestation.map { .string($0.predicateType) } ?? .null),
        ]
        if let bundle { members.append(("bundle", bundle)) }
        return .object(JSONObject(members))
    }
}

extension [FulcioExtension: String] {
    /// Provenance as the API shows it: Fulcio field name to value, in OID order.
    var json: JSONValue {
        .object(JSONObject(sorted { $0.key.oidOrder < $1.key.oidOrder }.map { ($0.key.fieldName, .string($0.value)) }))
    }
}

extension AuditEvent {
    var json: JSONValue {
        .object(
            JSONObject([
                ("time", .string(time.rfc3339)), ("actor", .string(actor)), ("action", .string(action)),
                ("subject", .string(subject)), ("origin", .string(origin)), ("detail", .string(detail)),
                ("namespace", namespace.map(JSONValue.string) ?? .null),
            ]))
    }
}
