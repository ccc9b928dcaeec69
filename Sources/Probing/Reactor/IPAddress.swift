#if canImport(Glibc)
import Glibc
#endif
import WatchCore

/// An IPv4 or IPv6 address, stored as bytes in network order so that it compares by value.
enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// `s_addr` of an `in_addr`, in network byte order.
    case v4(UInt32)
    /// The 16 bytes of an `in6_addr`, as two network-order halves.
    case v6(UInt64, UInt64)

    /// Parses an IP literal (`127.0.0.1`, `::1`); `nil` for anything else, host names included.
    init?(literal: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            self = .v4(v4.s_addr)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            self = IPAddress(v6)
            return
        }
        return nil
    }

    init(_ address: in_addr) { self = .v4(address.s_addr) }

    init(_ address: in6_addr) {
        let halves = withUnsafeBytes(of: address) { ($0.loadUnaligned(as: UInt64.self),
                                                     $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        self = .v6(halves.0, halves.1)
    }

    var family: IPFamily {
        switch self {
        case .v4: .v4
        case .v6: .v6
        }
    }

    var in4: in_addr? {
        guard case .v4(let bits) = self else { return nil }
        return in_addr(s_addr: bits)
    }

    var in6: in6_addr? {
        guard case .v6(let high, let low) = self else { return nil }
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) {
            $0.storeBytes(of: high, as: UInt64.self)
            $0.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
        }
        return address
    }

    /// The presentation form, as `inet_ntop` writes it.
    var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch self {
        case .v4:
            var address = in4!
            _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
        case .v6:
            var address = in6!
            _ = inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension IPFamily {
    /// The `AF_*` constant of this family.
    var addressFamily: CInt {
        switch self {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }
}

/// An IP address and port, convertible to and from the C `sockaddr` forms.
struct IPSocketAddress: Hashable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16

    var description: String {
        switch address {
        case .v4: "\(address):\(port)"
        case .v6: "[\(address)]:\(port)"
        }
    }

    /// Calls `body` with a `sockaddr` pointer and length describing this address.
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemError) -> Result)
        throws(SystemError) -> Result
    {
        switch address {
        case .v4:
            var storage = sockaddr_in()
            storage.sin_family = sa_family_t(AF_INET)
            storage.sin_port = port.bigEndian
            storage.sin_addr = address.in4!
            return try withUnsafeBytes(of: &storage) { (bytes) throws(SystemError) -> Result in
                try body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                         socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        case .v6:
            var storage = sockaddr_in6()
            storage.sin6_family = sa_family_t(AF_INET6)
            storage.sin6_port = port.bigEndian
            storage.sin6_addr = address.in6!
            return try withUnsafeBytes(of: &storage) { (bytes) throws(SystemError) -> Result in
                try body(bytes.baseAddress!.assumingMemoryBound(to: sockaddr.self),
                         socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
    }

    /// Reads an AF_INET or AF_INET6 `sockaddr`; `nil` for other families.
    init?(_ pointer: UnsafeRawPointer) {
        switch CInt(pointer.loadUnaligned(as: sa_family_t.self)) {
        case AF_INET:
            let storage = pointer.loadUnaligned(as: sockaddr_in.self)
            self.init(address: IPAddress(storage.sin_addr), port: UInt16(bigEndian: storage.sin_port))
        case AF_INET6:
            let storage = pointer.loadUnaligned(as: sockaddr_in6.self)
            self.init(address: IPAddress(storage.sin6_addr), port: UInt16(bigEndian: storage.sin6_port))
        default:
            return nil
        }
    }

    init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }
}
