import Foundation

/// What a listen host names, resolved the way the server's bind resolves it (getaddrinfo).
enum ListenAddress {
    /// Whether `host` resolves, and every address it resolves to is a loopback address
    /// (127.0.0.0/8, RFC 1122 §3.2.1.3; ::1, RFC 4291 §2.5.3). A name that does not resolve,
    /// resolves to nothing, or resolves to any other address (a wildcard, a private or public
    /// address, an IPv4-mapped one) is not: the decision rests on addresses, never on how the
    /// name is spelled, so `127.0.0.1.example.com` passes only if DNS answers 127.x for it alone.
    static func isLoopbackOnly(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(first) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            guard let address = current.pointee.ai_addr else { return false }
            switch current.pointee.ai_family {
            case AF_INET:
                let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
                guard UInt32(bigEndian: v4.sin_addr.s_addr) >> 24 == 127 else { return false }
            case AF_INET6:
                var v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: &v6.sin6_addr) { Array($0) }
                guard bytes == Array(repeating: 0, count: 15) + [1] else { return false }
            default:
                return false
            }
            node = current.pointee.ai_next
        }
        return true
    }
}
