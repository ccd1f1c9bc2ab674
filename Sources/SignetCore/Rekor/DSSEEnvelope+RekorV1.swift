extension DSSEEnvelope {
    /// The Rekor v1 proposed entry for this envelope (`dsse` 0.0.1, sigstore/rekor
    /// `pkg/types/dsse/v0.0.1`): the envelope as a JSON string and the signer's certificate or
    /// public key, PEM in base64, as its verifier. The log stores only their digests.
    public func rekorV1Proposal(certificate der: [UInt8]) -> JSONValue {
        rekorV1Proposal(verifierPEM: PEM.encode(der, label: "CERTIFICATE"))
    }

    /// As ``rekorV1Proposal(certificate:)``, with the verifier's PEM given.
    public func rekorV1Proposal(verifierPEM: String) -> JSONValue {
        .object(
            JSONObject([
                ("apiVersion", .string("0.0.1")), ("kind", .string("dsse")),
                (
                    "spec",
                    .object(
                        JSONObject([
                            (
                                "proposedContent",
                                .object(
                                    JSONObject([
                                        ("envelope", .string(String(decoding: json.compactBytes(), as: UTF8.self))),
                                        ("verifiers", .array([.string(Base64.encode(Array(verifierPEM.utf8)))])),
                                    ]))
                            )
                        ]))
                ),
            ]))
    }
}
