/// The line `signet server` writes to standard error once it listens: the address it bound
/// (with `--listen HOST:0`, the port the kernel gave it), its public URL and its data
/// directory. Tools and tests that start a server on port 0 read its port from this line.
public struct ListeningAnnouncement: Sendable, Hashable {
    /// The listen host as configured.
    public var host: String
    /// The port the listener is bound to.
    public var port: Int
    public var publicURL: String
    public var dataDirectory: String

    public init(host: String, port: Int, publicURL: String, dataDirectory: String) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.dataDirectory = dataDirectory
    }

    private static let prefix = "signet server listening on "

    /// The line, without its newline.
    public var line: String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "\(Self.prefix)\(address) at \(publicURL) (data: \(dataDirectory))"
    }

    /// The port announced in `output` (a server's standard error so far), nil while no complete
    /// announcement line is there.
    public static func port(in output: String) -> Int? {
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).dropLast() where line.hasPrefix(prefix) {
            let address = line.dropFirst(prefix.count).prefix { $0 != " " }
            guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (1...65_535).contains(port) else {
                return nil
            }
            return port
        }
        return nil
    }
}
