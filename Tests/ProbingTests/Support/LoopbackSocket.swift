import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking sockets on loopback for test setup: finding free ports, holding a closed one,
/// checking that a server listens, serving a hostile peer.
enum LoopbackSocket {
    /// The two loopback addresses: 127.0.0.1 and ::1.
    enum Address: Sendable { case v4, v6 }

    enum Transport: Sendable { case tcp, udp }

    /// Binds a socket to `address` on `port` (0 for any free port), listening when `backlog` is
    /// given. No `SO_REUSEADDR`, so a port still in TIME_WAIT counts as taken.
    ///
    /// - Returns: the descriptor, which the caller closes, and the bound port.
    static func bind(
        _ address: Address = .v4, port: Int = 0, transport: Transport = .tcp, listen backlog: Int32? = nil
    ) throws(TestFixtureError) -> (descriptor: Int32, port: Int) {
        let type = transport == .tcp ? SOCK_STREAM : SOCK_DGRAM
        let descriptor = try check("socket", socket(address == .v4 ? AF_INET : AF_INET6, Int32(type.rawValue), 0))
        do {
            var (storage, length) = socketAddress(address, port: port)
            try withUnsafeMutablePointer(to: &storage) { (pointer) throws(TestFixtureError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(TestFixtureError) in
                    try check("bind \(address):\(port)", Glibc.bind(descriptor, raw, length))
                    if let backlog { try check("listen", listen(descriptor, backlog)) }
                    try check("getsockname", getsockname(descriptor, raw, &length))
                }
            }
            return (descriptor, boundPort(storage))
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// A TCP socket connected to 127.0.0.1:`port`; the caller closes it.
    static func connect(port: Int) throws(TestFixtureError) -> Int32 {
        let descriptor = try check("socket", socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0))
        var (storage, length) = socketAddress(.v4, port: port)
        let connected = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, length) }
        }
        do {
            try check("connect 127.0.0.1:\(port)", connected)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` now.
    static func canConnect(port: Int) -> Bool {
        guard let descriptor = try? connect(port: port) else { return false }
        close(descriptor)
        return true
    }

    // MARK: - Private

    /// `result` when it is not negative; otherwise an error naming `call` and errno.
    @discardableResult
    private static func check(_ call: String, _ result: Int32) throws(TestFixtureError) -> Int32 {
        let error = errno
        guard result >= 0 else {
            throw TestFixtureError("\(call): \(String(cString: strerror(error))) (errno \(error))")
        }
        return result
    }

    private static func socketAddress(_ address: Address, port: Int) -> (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        switch address {
        case .v4:
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = UInt16(port).bigEndian
            v4.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v4, as: sockaddr_in.self) }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        case .v6:
            var v6 = sockaddr_in6()
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = UInt16(port).bigEndian
            _ = inet_pton(AF_INET6, "::1", &v6.sin6_addr)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: v6, as: sockaddr_in6.self) }
            return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
    }

    private static func boundPort(_ storage: sockaddr_storage) -> Int {
        withUnsafeBytes(of: storage) { raw in
            storage.ss_family == sa_family_t(AF_INET)
                ? Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
                : Int(UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port))
        }
    }
}
