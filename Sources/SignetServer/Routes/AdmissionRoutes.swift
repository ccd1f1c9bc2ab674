import Hummingbird
import SignetCore
import SignetPolicy
import SignetStore

/// Kubernetes' two admission shapes over the gate: a validating webhook's `AdmissionReview`
/// (`admission.k8s.io/v1`) at `POST /api/signet/v1/admission?environment=E`, and the
/// ImagePolicyWebhook's `ImageReview` (`imagepolicy.k8s.io/v1alpha1`) at
/// `POST /api/signet/v1/imagereview?environment=E`. Every image of the object must be pinned by
/// digest and admitted by the gate; the answer names each refused image and why. Each image is
/// decided once per review, all within the gate's deadline.
extension SignetServices {
    func addAdmissionRoutes(to routes: AccessRoutes) {
        routes.caller(.post, "\(Self.artifactAPI)/admission", anyOf: [.verify]) { request, context, caller in
            try await self.admissionReview(request, context: context, caller: caller)
        }
        routes.caller(.post, "\(Self.artifactAPI)/imagereview", anyOf: [.verify]) { request, context, caller in
            try await self.imageReview(request, context: context, caller: caller)
        }
    }

    /// The largest review read: a Pod or workload with its whole spec.
    static let maxReviewBytes = 3 << 20

    private func admissionReview(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        let environment = try await admissionEnvironment(request)
        let body = try await review(request, apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", member: "request", ignoring: ["response"])
        guard case .string(let uid)? = body["uid"], !uid.isEmpty else { throw APIError(.badRequest, "invalid-request", "expected request.uid, found none") }
        var objectKind = ""
        if case .object(let kindObject)? = body["kind"], case .string(let text)? = kindObject["kind"] { objectKind = text }
        let operation: String = if case .string(let text)? = body["operation"] { text } else { "" }
        var allowed = false
        var message: String
        var warnings: [String] = []
        if operation == "DELETE" || operation == "CONNECT" {
            // Nothing starts to run.
            allowed = true
            message = "\(operation) runs no image"
        } else {
            let outcome = try await decideImages(
                { () throws(FormatError) in try KubernetesWorkload.images(kind: objectKind, object: body["object"] ?? .null) }, environment: environment,
                caller: caller, origin: context.origin, what: "\(objectKind) \(Self.objectName(body))")
            (allowed, message, warnings) = (outcome.allowed, outcome.message, outcome.warnings)
        }
        var response: [(String, JSONValue)] = [("uid", .string(uid)), ("allowed", .bool(allowed))]
        response.append(("status", .object(JSONObject([("code", .integer(allowed ? 200 : 403)), ("message", .string(message))]))))
        if !warnings.isEmpty { response.append(("warnings", .array(warnings.map(JSONValue.string)))) }
        return Response.json(
            .object(
                JSONObject([
                    ("apiVersion", .string("admission.k8s.io/v1")), ("kind", .string("AdmissionReview")), ("response", .object(JSONObject(response))),
                ])))
    }

    private func imageReview(_ request: Request, context: SignetRequestContext, caller: Caller) async throws -> Response {
        let environment = try await admissionEnvironment(request)
        let spec = try await review(request, apiVersion: "imagepolicy.k8s.io/v1alpha1", kind: "ImageReview", member: "spec", ignoring: ["status", "metadata"])
        let namespace: String = if case .string(let text)? = spec["namespace"] { text } else { "" }
        let outcome = try await decideImages(
            { () throws(FormatError) in
                guard case .array(let containers)? = spec["containers"], !containers.isEmpty else {
                    throw FormatError(.missingField, at: "spec.containers", "expected at least one container, found none")
                }
                return try containers.enumerated().map { (index, container) throws(FormatError) in
                    guard case .object(let fields) = container, case .string(let image)? = fields["image"], !image.isEmpty else {
                        throw FormatError(.missingField, at: "spec.containers[\(index)].image", "expected an image, found none")
                    }
                    return ("spec.containers[\(index)]", image)
                }
            }, environment: environment, caller: caller, origin: context.origin, what: "an image review in namespace \(namespace)")
        return Response.json(
            .object(
                JSONObject([
                    ("apiVersion", .string("imagepolicy.k8s.io/v1alpha1")), ("kind", .string("ImageReview")),
                    ("status", .object(JSONObject([("allowed", .bool(outcome.allowed)), ("reason", .string(outcome.message))]))),
                ])))
    }

    /// The `member` object of a review of `apiVersion` and `kind`; the other members Kubernetes
    /// sends (`ignoring`) are read past, and anything else is refused.
    private func review(_ request: Request, apiVersion: String, kind: String, member: String, ignoring: [String]) async throws -> JSONObject {
        var review = try await jsonBody(request, limit: Self.maxReviewBytes)
        let foundVersion = try review.requiredString("apiVersion")
        let foundKind = try review.requiredString("kind")
        guard foundVersion == apiVersion, foundKind == kind else {
            throw APIError(
                .badRequest, "invalid-request",
                "expected apiVersion \(apiVersion) and kind \(kind), found \(ProtoJSONObject.preview(foundVersion)) \(ProtoJSONObject.preview(foundKind))")
        }
        guard case .object(let object)? = try review.optional(member) else {
            throw APIError(.badRequest, "invalid-request", "expected \(member): an object, found none")
        }
        for name in ignoring { _ = try review.optional(name) }
        try review.finish()
        return object
    }

    private func admissionEnvironment(_ request: Request) async throws -> String {
        guard let environment = request.query("environment"), PolicyDocument.isIdentifier(environment) else {
            throw APIError(
                .badRequest, "invalid-query",
                "expected ?environment=NAME (1 to 63 of a-z, 0-9 and inner hyphens) in the webhook's URL, found \(request.query("environment").map { "\"\(ProtoJSONObject.preview($0))\"" } ?? "none")"
            )
        }
        return environment
    }

    static func objectName(_ request: JSONObject) -> String {
        let name: String = if case .string(let text)? = request["name"] { text } else { "" }
        let namespace: String = if case .string(let text)? = request["namespace"] { text } else { "" }
        return namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    /// Decides every image `images` reads (once each, concurrently, each audited); admitted
    /// only if every one is. An object whose images cannot be read is refused, not an error.
    private func decideImages(
        _ images: () throws(FormatError) -> [(path: String, image: String)], environment: String, caller: Caller, origin: String, what: String
    ) async throws -> (allowed: Bool, message: String, warnings: [String]) {
        let listed: [(path: String, image: String)]
        do { listed = try images() } catch {
            return (false, "refused \(what): \(error)", [])
        }
        let distinct = Array(Set(listed.map(\.image))).sorted()
        let decisions = try await withThrowingTaskGroup(of: (String, Decision).self) { group in
            for image in distinct {
                group.addTask {
                    let decision: Decision
                    do { decision = try await self.decide(image, environment: environment, for: caller) } catch let error as APIError {
                        decision = Decision.refused(.notPinned, "expected a digest-pinned image reference, found \(error.message)", now: self.timeSource.now())
                    }
                    return (image, decision)
                }
            }
            var found: [String: Decision] = [:]
            for try await (image, decision) in group { found[image] = decision }
            return found
        }
        for image in distinct {
            guard let decision = decisions[image] else { continue }
            let namespace = try await namespace(ofSubject: image)
            try await auditEvents.submit(
                AuditEvent(
                    time: timeSource.now(), actor: caller.actor, action: "gate.admission", subject: image, origin: origin,
                    detail: "\(environment): \(decision.code.rawValue) under \(decision.policyDigest) for \(what)", namespace: namespace))
            if let namespace { try await recordAdmission(image, namespace: namespace, environment: environment, decision: decision, caller: caller) }
        }
        let refused = listed.compactMap { entry -> String? in
            guard let decision = decisions[entry.image], !decision.allowed else { return nil }
            return "\(entry.path) \(entry.image): \(decision.code.rawValue): \(decision.message)"
        }
        let warnings = distinct.flatMap { decisions[$0]?.warnings ?? [] }
        guard refused.isEmpty else {
            return (false, "refused \(what) in \(environment): " + refused.joined(separator: "; "), warnings)
        }
        return (true, "admitted \(what) in \(environment): \(distinct.count) image\(distinct.count == 1 ? "" : "s")", warnings)
    }
}
