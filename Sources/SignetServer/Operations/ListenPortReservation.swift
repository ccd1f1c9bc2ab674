import Foundation
import NIOCore

/// A port chosen by the kernel for `--listen HOST:0` and held until the server listens on it.
///
/// Hummingbird binds a host and port it is given, so the server binds port 0 here first, on
/// the address its own bind will resolve `HOST` to, and keeps that socket bound (not
/// listening) with `SO_REUSEADDR` until its listener is up. While the reservation holds it, no
/// other socket binding port 0 is given the port, and no socket without `SO_REUSEADDR` can bind
/// it; the server's listener, which sets `SO_REUSEADDR`, can. So there is no window in which
/// another process takes the port, as there is when a free port is probed and released first.
public final class ListenPortReservation: Sendable {
    /// The reserved port.
    public let port: Int
    private let descriptor: Int32

    /// Binds port 0 on what `host` resolves to.
    public init(host: String) throws {
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(host, port: 0)
        } catch {
            throw ServerConfiguration.ConfigurationError(reason: "expected a listen host that resolves, found \"\(host.prefix(80))\": \(error)")
        }
        let family = address.protocol.rawValue
        let descriptor = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else {
            throw ServerConfiguration.ConfigurationError(reason: "cannot open a socket to reserve a port on \(host.prefix(80)): errno \(errno)")
        }
        var one: Int32 = 1
        var bound = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0
        bound = bound && address.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) == 0 }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        bound =
            bound
            && withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) == 0 }
            }
        guard bound else {
            let code = errno
            close(descriptor)
            throw ServerConfiguration.ConfigurationError(reason: "cannot reserve a port on \(host.prefix(80)): errno \(code)")
        }
        let port: UInt16
        switch Int32(storage.ss_family) {
        case AF_INET6: port = withUnsafeBytes(of: storage) { $0.loadUnaligned(as: sockaddr_in6.self).sin6_port }
        default: port = withUnsafeBytes(of: storage) { $0.loadUnaligned(as: sockaddr_in.self).sin_port }
        }
        self.port = Int(UInt16(bigEndian: port))
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
