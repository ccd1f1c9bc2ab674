import SignetCore

/// The container images of a Kubernetes object under admission review: every container, init
/// container and ephemeral container of a Pod, or of the pod template of a workload. An
/// object of a kind not listed here is refused, never admitted unread.
public enum KubernetesWorkload {
    /// Where each kind keeps its pod spec.
    static let podSpecPaths: [String: [String]] = [
        "Pod": ["spec"],
        "PodTemplate": ["template", "spec"],
        "Deployment": ["spec", "template", "spec"],
        "ReplicaSet": ["spec", "template", "spec"],
        "ReplicationController": ["spec", "template", "spec"],
        "StatefulSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    ]

    /// The kinds whose images are read.
    public static var kinds: [String] { podSpecPaths.keys.sorted() }

    /// Each container's image with where it is (`spec.initContainers[0]`), in document order.
    public static func images(kind: String, object: JSONValue) throws(FormatError) -> [(path: String, image: String)] {
        guard let specPath = podSpecPaths[kind] else {
            throw FormatError(.unsupported, at: "request.kind", "expected one of \(kinds.joined(separator: ", ")), found \"\(ProtoJSONObject.preview(kind))\"")
        }
        var spec = object
        for key in specPath {
            guard case .object(let members) = spec, let next = members[key] else {
                throw FormatError(.missingField, at: "request.object.\(specPath.joined(separator: "."))", "expected a pod spec in a \(kind), found none")
            }
            spec = next
        }
        let base = specPath.joined(separator: ".")
        var images: [(String, String)] = []
        for list in ["initContainers", "containers", "ephemeralContainers"] {
            guard case .object(let members) = spec, let value = members[list] else { continue }
            guard case .array(let containers) = value else {
                throw FormatError(.invalidValue, at: "request.object.\(base).\(list)", "expected an array, found \(value.typeName)")
            }
            for (index, container) in containers.enumerated() {
                let path = "\(base).\(list)[\(index)]"
                guard case .object(let fields) = container, case .string(let image)? = fields["image"], !image.isEmpty else {
                    throw FormatError(.missingField, at: "request.object.\(path).image", "expected an image, found none")
                }
                images.append((path, image))
            }
        }
        guard !images.isEmpty else { throw FormatError(.missingField, at: "request.object.\(base).containers", "expected at least one container, found none") }
        return images
    }
}
