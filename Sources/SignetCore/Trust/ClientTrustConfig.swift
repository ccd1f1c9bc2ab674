/// A signing configuration (`SigningConfig` v0.2, sigstore_trustroot.proto): where a client
/// finds the CA, OIDC provider, transparency logs and timestamp authorities.
public struct SigningConfig: Sendable, Hashable {
    public static let mediaType02 = "application/vnd.dev.sigstore.signingconfig.v0.2+json"

    public struct Service: Sendable, Hashable {
        public var url: String
        public var majorAPIVersion: Int32
        public var validFor: TimeRange
        public var `operator`: String

        public init(url: String, majorAPIVersion: Int32, validFor: TimeRange, operator: String) {
            self.url = url
            self.majorAPIVersion = majorAPIVersion
            self.validFor = validFor
            self.operator = `operator`
        }
    }

    /// `ServiceConfiguration`: which of several services a client uses.
    public struct Selection: Sendable, Hashable {
        public var selector: String
        public var count: Int32?

        public init(selector: String, count: Int32? = nil) {
            self.selector = selector
            self.count = count
        }
    }

    public var caURLs: [Service]
    public var oidcURLs: [Service]
    public var rekorTlogURLs: [Service]
    public var rekorTlogConfig: Selection
    public var tsaURLs: [Service]
    public var tsaConfig: Selection

    public init(caURLs: [Service], oidcURLs: [Service], rekorTlogURLs: [Service], rekorTlogConfig: Selection, tsaURLs: [Service], tsaConfig: Selection) {
        self.caURLs = caURLs
        self.oidcURLs = oidcURLs
        self.rekorTlogURLs = rekorTlogURLs
        self.rekorTlogConfig = rekorTlogConfig
        self.tsaURLs = tsaURLs
        self.tsaConfig = tsaConfig
    }

    public init(json value: JSONValue, path: String) throws(FormatError) {
        var object = try ProtoJSONObject(value, path: path)
        let mediaType = try object.requiredString("mediaType")
        guard mediaType == Self.mediaType02 else {
            throw FormatError(
                .unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType02), found \"\(ProtoJSONObject.preview(mediaType, limit: 80))\"")
        }
        func services(_ name: String) throws(FormatError) -> [Service] {
            var result: [Service] = []
            for (element, elementPath) in try object.array(name) {
                var service = try ProtoJSONObject(element, path: elementPath)
                let url = try service.requiredString("url")
                guard let version = try service.int32("majorApiVersion") else {
                    throw FormatError(.missingField, at: elementPath, "expected member \"majorApiVersion\", found none")
                }
                let validFor = try TrustedRoot.timeRange(&service)
                let serviceOperator = try service.requiredString("operator")
                try service.finish()
                result.append(Service(url: url, majorAPIVersion: version, validFor: validFor, operator: serviceOperator))
            }
            return result
        }
        func selection(_ name: String) throws(FormatError) -> Selection {
            guard var config = try object.message(name) else { return Selection(selector: "ALL") }
            let selector = try config.string("selector") ?? "ALL"
            guard ["ALL", "ANY", "EXACT"].contains(selector) else {
                throw FormatError(.unsupported, at: config.childPath("selector"), "expected ALL, ANY or EXACT, found \"\(ProtoJSONObject.preview(selector))\"")
            }
            let count = try config.int32("count")
            try config.finish()
            return Selection(selector: selector, count: count)
        }
        caURLs = try services("caUrls")
        oidcURLs = try services("oidcUrls")
        rekorTlogURLs = try services("rekorTlogUrls")
        rekorTlogConfig = try selection("rekorTlogConfig")
        tsaURLs = try services("tsaUrls")
        tsaConfig = try selection("tsaConfig")
        try object.finish()
    }

    public var json: JSONValue {
        func services(_ list: [Service]) -> JSONValue {
            .array(
                list.map { service in
                    var object = JSONObject([("url", .string(service.url)), ("majorApiVersion", .integer(service.majorAPIVersion))])
                    object["validFor"] = TrustedRoot.timeRangeJSON(service.validFor)
                    object["operator"] = .string(service.operator)
                    return .object(object)
                })
        }
        func selection(_ selection: Selection) -> JSONValue {
            var object = JSONObject([("selector", .string(selection.selector))])
            if let count = selection.count { object["count"] = .integer(count) }
            return .object(object)
        }
        return .object(
            JSONObject([
                ("mediaType", .string(Self.mediaType02)),
                ("caUrls", services(caURLs)),
                ("oidcUrls", services(oidcURLs)),
                ("rekorTlogUrls", services(rekorTlogURLs)),
                ("rekorTlogConfig", selection(rekorTlogConfig)),
                ("tsaUrls", services(tsaURLs)),
                ("tsaConfig", selection(tsaConfig)),
            ]))
    }
}

/// A trusted root and a signing configuration in one file (`ClientTrustConfig`): everything a
/// client needs to sign against and verify for one instance.
public struct ClientTrustConfig: Sendable, Hashable {
    public static let mediaType01 = "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json"

    public var trustedRoot: TrustedRoot
    public var signingConfig: SigningConfig

    public init(trustedRoot: TrustedRoot, signingConfig: SigningConfig) {
        self.trustedRoot = trustedRoot
        self.signingConfig = signingConfig
    }

    public init(jsonBytes bytes: some Collection<UInt8>) throws(FormatError) {
        var object = try ProtoJSONObject(try JSONParser(maxBytes: TrustedRoot.maxBytes).parse(bytes, context: "trustConfig"), path: "trustConfig")
        let mediaType = try object.requiredString("mediaType")
        guard mediaType == Self.mediaType01 else {
            throw FormatError(
                .unsupported, at: object.childPath("mediaType"), "expected \(Self.mediaType01), found \"\(ProtoJSONObject.preview(mediaType, limit: 80))\"")
        }
        trustedRoot = try TrustedRoot(json: try object.required("trustedRoot"), path: object.childPath("trustedRoot"))
        signingConfig = try SigningConfig(json: try object.required("signingConfig"), path: object.childPath("signingConfig"))
        try object.finish()
    }

    public var json: JSONValue {
        .object(
            JSONObject([
                ("mediaType", .string(Self.mediaType01)),
                ("trustedRoot", trustedRoot.json),
                ("signingConfig", signingConfig.json),
            ]))
    }
}
