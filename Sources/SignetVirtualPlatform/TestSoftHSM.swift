import Foundation

/// SoftHSM2 (Debian's `softhsm2`) for tests: a token directory of this test process's own,
/// named to the library by `SOFTHSM2_CONF`, with the tokens the tests use initialised before
/// any test loads the module (SoftHSM reads its tokens when it is initialised). A machine
/// without SoftHSM2 fails the tests that need it, loudly.
public final class TestSoftHSM: Sendable {
    /// The user PIN of every test token.
    public static let pin = "4321"
    /// The tokens initialised for in-process tests.
    public static let tokens = ["signet-unit", "signet-locked", "signet-server"]

    public let modulePath: String
    public let directory: URL
    /// The configuration file; `SOFTHSM2_CONF` names it in this process.
    public let configuration: URL

    /// The fixture of this process, created on first use.
    public static func shared() throws -> TestSoftHSM { try instance.get() }

    private static let instance = Result { try TestSoftHSM(tokens: tokens, exportToProcess: true) }

    /// A fresh token directory with `tokens` initialised; with `exportToProcess`, this process's
    /// `SOFTHSM2_CONF` names it (only the shared fixture does that: the module reads it once).
    public init(tokens: [String], exportToProcess: Bool = false) throws {
        let candidates = [
            "/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
        ]
        guard let module = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }),
            FileManager.default.isExecutableFile(atPath: "/usr/bin/softhsm2-util")
        else {
            throw TestPostgres.Failure(
                description: "expected SoftHSM2 (Debian's softhsm2: \(candidates[0]) and /usr/bin/softhsm2-util), found none")
        }
        modulePath = module
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-softhsm-\(UUID().uuidString.prefix(8))")
        let tokenDirectory = directory.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokenDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        configuration = directory.appendingPathComponent("softhsm2.conf")
        try Data("directories.tokendir = \(tokenDirectory.path)\nobjectstore.backend = file\nlog.level = ERROR\n".utf8).write(to: configuration)
        if exportToProcess { setenv("SOFTHSM2_CONF", configuration.path, 1) }
        for token in tokens {
            try TestPostgres.run(
                "/usr/bin/env",
                [
                    "SOFTHSM2_CONF=\(configuration.path)", "/usr/bin/softhsm2-util", "--init-token", "--free", "--label", token, "--pin", Self.pin, "--so-pin",
                    "87654321",
                ],
                asPostgres: false)
        }
    }

    /// A PKCS #11 URI for `token` (and `object`) with this module and, unless `pin` is nil, the PIN.
    public func uri(token: String, object: String? = nil, pin: String? = TestSoftHSM.pin) -> String {
        "pkcs11:token=\(token)" + (object.map { ";object=\($0)" } ?? "") + "?module-path=\(modulePath)" + (pin.map { "&pin-value=\($0)" } ?? "")
    }
}
