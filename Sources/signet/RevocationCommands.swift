import ArgumentParser
import Foundation
import SignetClient
import SignetCore

/// `signet artifact revoke-signature`: revokes every signature of a name made from a ref.
struct ArtifactRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke-signature",
        abstract: "Revoke every signature of an artifact made from a source ref (logged; later verifications fail naming who, when and why)."
    )

    @OptionGroup var artifact: NameOptions
    @OptionGroup var registry: RegistryOptions
    @Option(help: "The source ref whose signatures to revoke.") var sourceRepositoryRef: String
    @Option(help: "Why.") var reason = ""

    func run() async throws {
        await Signet.exiting {
            let name = try artifact.artifactName()
            let trust = try? registry.trust()
            let credential = try await registry.credential(required: true)
            let answer: JSONValue
            do {
                answer = try await registry.client(trust, credential: credential).revoke(name: name, sourceRepositoryRef: sourceRepositoryRef, reason: reason)
            } catch {
                throw SigningFlow.failure(error)
            }
            guard case .object(let object) = answer, case .array(let revoked)? = object["revoked"], let revocation = object["revocation"],
                let statement = try? RevocationStatement(json: revocation, path: "revocation")
            else {
                throw CommandFailure(exitCode: SignetExit.signingFailed, message: "the server's answer is not a revocation with the signatures it covered")
            }
            print("revoked \(revoked.count) signature\(revoked.count == 1 ? "" : "s") of \(name) made from \(sourceRepositoryRef)")
            print("  revocation \(statement.id), log index \(statement.logIndex.map(String.init) ?? "?"), by \(statement.actor)")
            return SignetExit.verified
        }
    }
}

/// `signet revocations export`: a signed snapshot for `signet artifact verify --offline`.
struct RevocationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revocations", abstract: "Revocation snapshots for offline verification.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write every revocation, signed and logged by the server, to a file.")

        @OptionGroup var registry: RegistryOptions
        @Option(help: "Where to write the snapshot.") var output = "revocations.json"

        func run() async throws {
            await Signet.exiting {
                let trust = try? registry.trust()
                let bytes: [UInt8]
                do { bytes = try await registry.client(trust, credential: try await registry.credential(required: true)).exportRevocations() } catch {
                    throw SigningFlow.failure(error)
                }
                do { try Data(bytes + [0x0A]).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                    throw CommandFailure.unusable("cannot write \(output): \(error.localizedDescription)")
                }
                print("wrote \(output)")
                return SignetExit.verified
            }
        }
    }
}
