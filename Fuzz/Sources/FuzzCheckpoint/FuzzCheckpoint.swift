import FuzzDriver
import SignetCore

/// Signed notes (C2SP signed-note) and the checkpoints they carry (C2SP tlog-checkpoint), as
/// the verifier reads a bundle's checkpoint and the client reads a log's.
@main
enum FuzzCheckpoint {
    static func main() { SignetFuzzRun(CommandLine.argc, CommandLine.unsafeArgv, fuzzCheckpoint) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheckpoint(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let note = try? SignedNote(parsing: text) {
        _ = try? Checkpoint(text: note.text)
    }
    _ = try? Checkpoint(text: text)
    return 0
}
