import FuzzDriver
import SignetCore

/// Artifact names (`host/path@sha256:…`) as the artifact API and the CLI read them.
@main
enum FuzzArtifactName {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzArtifactName) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArtifactName(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let name = try? ArtifactName(parsing: text) {
        // A parsed name must print to a name that parses to itself.
        guard let again = try? ArtifactName(parsing: name.description), again == name else {
            fatalError("ArtifactName does not round-trip: \(name.description)")
        }
    }
    return 0
}
