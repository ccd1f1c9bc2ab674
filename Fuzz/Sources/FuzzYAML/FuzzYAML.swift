import FuzzDriver
import SignetCore

/// YAML streams (Kubernetes manifests, policies) as `signet verify --manifest` and the policy
/// commands read them: any input parses or is refused, within its bounds.
@main
enum FuzzYAML {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzYAML) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let documents = try? YAMLParser(maxBytes: 1 << 16, maxDepth: 32).parseStream(bytes) {
        // What parses is JSON: it must print and read back as the same value.
        for document in documents {
            guard let again = try? JSONParser().parse(document.value.compactBytes()), again == document.value else {
                fatalError("a YAML document does not round-trip through JSON")
            }
        }
    }
    return 0
}
