import ArgumentParser
import Foundation
import SignetCore
import SignetPKCS11

/// `signet key generate | import`: keys for keyed signing, kept encrypted.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Make or import a signing key: an encrypted PKCS #8 PEM file (PBES2, scrypt, AES-256-CBC) and its public key.",
        subcommands: [KeyGenerateCommand.self, KeyImportCommand.self]
    )
}

/// The passphrase that encrypts a signing key file: `SIGNET_SIGNING_KEY_PASSPHRASE`, else a file.
struct KeyPassphraseOptions: ParsableArguments {
    static let environmentVariable = "SIGNET_SIGNING_KEY_PASSPHRASE"

    @Option(help: "A file holding the key's passphrase (default: SIGNET_SIGNING_KEY_PASSPHRASE).") var keyPassphraseFile: String?

    func passphrase() throws(PrivateKeyFile.KeyFileError) -> [UInt8] {
        do {
            return try SigningKeys.passphrase(file: keyPassphraseFile, variable: Self.environmentVariable)
        } catch {
            throw PrivateKeyFile.KeyFileError("\(error.message)")
        }
    }
}

/// Where signing keys come from: a key file, or a key in a PKCS #11 token.
enum SigningKeys {
    /// A passphrase from `file` (owner-only, final newline dropped) or the environment variable.
    static func passphrase(file: String?, variable: String) throws(CommandFailure) -> [UInt8] {
        if let file {
            var bytes = try InputFiles.read(file, what: "passphrase file", maxBytes: 4096)
            while bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw .unusable("the passphrase file \(file) is empty") }
            return bytes
        }
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw .unusable("expected the key's passphrase in \(variable) or a file (--key-passphrase-file), found neither")
        }
        return Array(value.utf8)
    }

    /// A PKCS #11 URI from the command line, where a PIN would be seen by every user of the
    /// machine (`ps`, shell history): `pin-value` is refused.
    static func uri(_ text: String) throws(CommandFailure) -> PKCS11URI {
        let uri: PKCS11URI
        do { uri = try PKCS11URI(text) } catch { throw .unusable("\(error)") }
        guard uri.pinValue == nil else {
            throw .unusable(
                "expected the PIN in a file (pin-source) or in \(PKCS11Token.pinEnvironmentVariable), not on the command line (pin-value)")
        }
        return uri
    }

    /// The signer `reference` names: `pkcs11:…` (RFC 7512) or a PEM private key file.
    static func load(_ reference: String, passphrase: KeyPassphraseOptions) throws(CommandFailure) -> any Signer {
        if reference.hasPrefix("pkcs11:") {
            let uri = try uri(reference)
            do {
                return try PKCS11Signer(uri)
            } catch {
                throw .unusable("the PKCS #11 key is not usable: \(error)")
            }
        }
        let pem = String(decoding: try InputFiles.read(reference, what: "private key", maxBytes: 64 << 10), as: UTF8.self)
        do {
            return try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in try passphrase.passphrase() }
        } catch {
            throw .unusable("private key \"\(reference)\" is not usable: \(error.reason)")
        }
    }

    /// Writes `PREFIX.key` (encrypted) and `PREFIX.pub`, refusing to overwrite either.
    static func write(_ signer: SoftwareSigner, prefix: String, passphrase: [UInt8]) throws(CommandFailure) -> (key: String, publicKey: String) {
        let keyPath = prefix + ".key"
        let publicPath = prefix + ".pub"
        for path in [keyPath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw .unusable("\(path) exists; refusing to overwrite a key")
        }
        let encrypted: String
        do { encrypted = try PrivateKeyFile.encrypt(signer, passphrase: passphrase) } catch { throw .unusable(error.reason) }
        try create(keyPath, Array(encrypted.utf8), mode: 0o600)
        try create(publicPath, Array(PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY").utf8), mode: 0o644)
        return (keyPath, publicPath)
    }

    /// Creates `path` with `mode` from the start (never readable by others meanwhile), refusing
    /// one that exists, even one made since it was checked.
    static func create(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(CommandFailure) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw .unusable("cannot create \(path): \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do { try handle.write(contentsOf: bytes) } catch { throw .unusable("cannot write \(path): \(error.localizedDescription)") }
    }
}

/// `signet key generate`: a new key, encrypted at once.
struct KeyGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate a signing key into PREFIX.key (encrypted) and PREFIX.pub.")

    @Option(help: "The files' prefix: PREFIX.key and PREFIX.pub (default signet).") var output = "signet"
    @Option(help: "p256 (default) or p384.") var algorithm = "p256"
    @Option(
        help:
            "Generate the key in a PKCS #11 token instead, under the URI's object= label (e.g. pkcs11:token=release;object=prod?module-path=…&pin-source=…); only PREFIX.pub is written."
    ) var pkcs11: String?
    @OptionGroup var passphrase: KeyPassphraseOptions

    func run() async throws {
        await Signet.exiting {
            let chosen: SigningAlgorithm
            switch algorithm {
            case "p256": chosen = .ecdsaP256SHA256
            case "p384": chosen = .ecdsaP384SHA384
            default: throw CommandFailure.unusable("expected --algorithm p256 or p384, found \"\(algorithm.prefix(20))\"")
            }
            if let pkcs11 {
                let publicPath = output + ".pub"
                guard !FileManager.default.fileExists(atPath: publicPath) else {
                    throw CommandFailure.unusable("\(publicPath) exists; refusing to overwrite it")
                }
                let signer: PKCS11Signer
                let uri = try SigningKeys.uri(pkcs11)
                do {
                    guard let label = uri.object else { throw PKCS11Error(.uri, "expected object= naming the new key in \(uri)") }
                    signer = try PKCS11Signer.generate(in: try PKCS11Token(uri), label: label, algorithm: chosen)
                } catch {
                    throw CommandFailure.unusable("cannot generate the key in the token: \(error)")
                }
                try SigningKeys.create(publicPath, Array(PEM.encode(signer.publicKeySPKI, label: "PUBLIC KEY").utf8), mode: 0o644)
                print(
                    "generated \(chosen.rawValue) key \(signer.uri) in the token (not extractable); public key \(publicPath); fingerprint sha256:\(Hex.encode(sha256(signer.publicKeySPKI)))"
                )
                return SignetExit.verified
            }
            let secret = try SigningKeys.passphrase(file: passphrase.keyPassphraseFile, variable: KeyPassphraseOptions.environmentVariable)
            let signer = SoftwareSigner.generate(chosen)
            let (key, publicKey) = try SigningKeys.write(signer, prefix: output, passphrase: secret)
            print(
                "generated \(chosen.rawValue) key \(key) (encrypted); public key \(publicKey); fingerprint sha256:\(Hex.encode(sha256(signer.publicKeySPKI)))")
            return SignetExit.verified
        }
    }
}

/// `signet key import`: an existing PEM key, re-encrypted as Signet keeps keys.
struct KeyImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a PEM private key (PKCS #8, SEC 1, or encrypted PKCS #8) into PREFIX.key (encrypted) and PREFIX.pub.")

    @Argument(help: "The PEM private key to import.") var file: String
    @Option(help: "The files' prefix (default signet).") var output = "signet"
    @Option(help: "A file holding the passphrase of an encrypted key being imported (default: SIGNET_IMPORT_KEY_PASSPHRASE).") var inputPassphraseFile: String?
    @OptionGroup var passphrase: KeyPassphraseOptions

    func run() async throws {
        await Signet.exiting {
            let pem = String(decoding: try InputFiles.read(file, what: "private key", maxBytes: 64 << 10), as: UTF8.self)
            let signer: SoftwareSigner
            do throws(PrivateKeyFile.KeyFileError) {
                signer = try PrivateKeyFile.read(pem) { () throws(PrivateKeyFile.KeyFileError) in
                    do throws(CommandFailure) {
                        return try SigningKeys.passphrase(file: inputPassphraseFile, variable: "SIGNET_IMPORT_KEY_PASSPHRASE")
                    } catch {
                        throw PrivateKeyFile.KeyFileError(error.message)
                    }
                }
            } catch {
                throw CommandFailure.unusable("private key \"\(file)\" is not usable: \(error.reason)")
            }
            guard signer.algorithm != .ed25519 else {
                throw CommandFailure.unusable("expected a P-256 or P-384 key (a hashedrekord entry holds ECDSA signatures), found an Ed25519 key")
            }
            let secret = try SigningKeys.passphrase(file: passphrase.keyPassphraseFile, variable: KeyPassphraseOptions.environmentVariable)
            let (key, publicKey) = try SigningKeys.write(signer, prefix: output, passphrase: secret)
            print(
                "imported \(signer.algorithm.rawValue) key \(key) (encrypted); public key \(publicKey); fingerprint sha256:\(Hex.encode(sha256(signer.publicKeySPKI)))"
            )
            return SignetExit.verified
        }
    }
}
