import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import SignetServer

/// `signet server`: the CA, transparency log and TSA in one process on an embedded store.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the Signet server: Fulcio-compatible CA, Rekor v1/v2-compatible log and RFC 3161 TSA.",
        discussion:
            "Flags override the configuration file; the README lists every option. SIGTERM or SIGINT stops it after in-flight requests are answered (after 40 s, those left are cancelled)."
    )

    @Option(help: "The data directory: keys, store, development passphrase (default ./signet-data).") var data: String?
    @Option(help: "The address to listen on, HOST:PORT (default 127.0.0.1:8080); port 0 takes a free port, announced on standard error.") var listen: String?
    @Option(help: "The store: postgres://USER@HOST:PORT/DATABASE for PostgreSQL, which several replicas may share (default: SQLite in the data directory).")
    var store: String?
    @Option(help: "A JSON configuration file.") var config: String?
    @Option(help: "The URL clients reach the server at (default http://<listen>).") var publicURL: String?
    @Option(help: "A file holding the key passphrase (owner-only permissions); else SIGNET_KEY_PASSPHRASE.") var keyPassphraseFile: String?
    @Option(
        help:
            "A PKCS #11 URI naming the token that holds the instance's keys, e.g. pkcs11:token=signet?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=/run/signet/pin (PIN also from SIGNET_PKCS11_PIN)."
    ) var keyStore: String?
    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Flag(help: "Development mode: a development identity provider, and a generated key passphrase if none is given. Loopback only.") var dev = false
    @Flag(help: "Let --dev listen on a non-loopback address. Anyone who reaches it can get certificates.") var devInsecureAllowRemote = false

    func run() async throws {
        var configuration: ServerConfiguration
        do {
            configuration = try config.map { try ServerConfiguration(file: $0) } ?? ServerConfiguration()
            if let data { configuration.dataDirectory = data }
            if let store { configuration.store = store }
            if let listen { try configuration.setListen(listen) }
            if let publicURL { configuration.publicURL = publicURL }
            if let keyPassphraseFile { configuration.passphraseFile = keyPassphraseFile }
            if let keyStore { configuration.keyStore = keyStore }
            if let logLevel { configuration.logLevel = logLevel }
            configuration.development = configuration.development || dev
            configuration.developmentInsecureAllowRemote = configuration.developmentInsecureAllowRemote || devInsecureAllowRemote
            try configuration.validate()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
        // Port 0: hold a port the kernel chooses until the listener is bound to it, so the
        // public URL names the real port and no other process can take it in between.
        let reservation: ListenPortReservation?
        do {
            reservation = configuration.listenPort == 0 ? try ListenPortReservation(host: configuration.listenHost) : nil
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
        if let reservation { configuration.listenPort = reservation.port }
        var logger = Logger(label: "signet")
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        let services: SignetServices
        do {
            services = try await SignetServer.services(configuration: configuration, environment: ProcessInfo.processInfo.environment, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
        let url = services.publicURL
        let dataDirectory = configuration.dataDirectory
        let development = configuration.development
        let host = configuration.listenHost
        let port = configuration.listenPort
        let app = SignetServer.application(services, configuration: configuration, logger: logger) { channel in
            let announcement = ListeningAnnouncement(host: host, port: channel.localAddress?.port ?? port, publicURL: url, dataDirectory: dataDirectory)
            var lines = [announcement.line]
            if development {
                lines += [
                    "development identity provider: \(url)/dev-idp (tokens: signet auth dev-token --data \(dataDirectory) --server \(url))",
                    "next: signet trust init --server \(url) && signet sign FILE --identity-token \"$(signet auth dev-token --data \(dataDirectory) --server \(url))\"",
                ]
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        do {
            try await SignetServer.serve(app, logger: logger)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            FileHandle.standardError.write(
                Data(
                    "error: cannot listen on \(host):\(port): another process (another signet server?) is using that port; stop it, or choose another with --listen HOST:PORT (port 0 lets the system pick one)\n"
                        .utf8))
            throw ExitCode(SignetExit.unusableInput)
        }
        withExtendedLifetime(reservation) {}  // held while the listener is up
    }
}
