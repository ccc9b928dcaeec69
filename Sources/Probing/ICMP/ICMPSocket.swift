#if canImport(Glibc)
import Glibc
#endif
import CSocketShim
import WatchCore

/// Which kind of ICMP socket the prober opens.
public enum ICMPSocketKind: String, Sendable, Hashable, CaseIterable {
    /// A datagram ("ping") socket when the process's group is in `net.ipv4.ping_group_range`,
    /// otherwise a raw socket (root or CAP_NET_RAW).
    case automatic
    /// Only a datagram ("ping") socket: `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`.
    case datagram
    /// Only a raw socket: `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)`, needs root or CAP_NET_RAW.
    case raw
}

/// One ICMP or ICMPv6 socket shared by every probe of its family, with its receive batch.
///
/// Used only on the reactor thread after it is opened.
final class ICMPSocket {
    let family: IPFamily
    let descriptor: Descriptor
    /// Whether this is a raw socket (we see every ICMP message of the host, IPv4 with its IP header).
    let isRaw: Bool
    let batch: ReceiveBatch

    private init(family: IPFamily, descriptor: Descriptor, isRaw: Bool) {
        self.family = family
        self.descriptor = descriptor
        self.isRaw = isRaw
        self.batch = ReceiveBatch(slots: 64, bufferSize: 2048)
    }

    deinit {
        Syscall.close(descriptor)
    }

    /// Opens the socket of `kind` for `family`; for `.automatic`, a datagram socket first, then a
    /// raw one. The error explains how to allow ICMP sockets when neither may be opened.
    static func open(family: IPFamily, kind: ICMPSocketKind) -> Result<ICMPSocket, ProbeFailure> {
        let proto = family == .v4 ? CInt(IPPROTO_ICMP) : CInt(IPPROTO_ICMPV6)
        var datagramError: SystemError?
        if kind != .raw {
            do {
                let descriptor = try Syscall.socket(family: family.addressFamily, type: .datagram, protocol: proto)
                return .success(configured(ICMPSocket(family: family, descriptor: descriptor, isRaw: false)))
            } catch {
                datagramError = error
            }
        }
        var rawError: SystemError?
        if kind != .datagram {
            do {
                let descriptor = try Syscall.socket(family: family.addressFamily, type: .raw, protocol: proto)
                return .success(configured(ICMPSocket(family: family, descriptor: descriptor, isRaw: true)))
            } catch {
                rawError = error
            }
        }
        var reasons: [String] = []
        if let datagramError {
            reasons.append("a datagram ICMP socket was refused (\(datagramError.errno)): allow this process's group with "
                + "`sysctl -w net.ipv4.ping_group_range=\"0 2147483647\"` (the range is per network namespace)")
        }
        if let rawError {
            reasons.append("a raw ICMP socket was refused (\(rawError.errno)): run as root or grant CAP_NET_RAW "
                + "(`setcap cap_net_raw+ep <binary>`)")
        }
        return .failure(ProbeFailure(reason: .proberError,
                                     detail: "cannot open an ICMP\(family == .v6 ? "v6" : "") socket: "
                                         + reasons.joined(separator: "; ")))
    }

    private static func configured(_ socket: ICMPSocket) -> ICMPSocket {
        // Every option is an optimisation or an extra (hop limit); the prober works without them.
        let descriptor = socket.descriptor
        try? Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_RCVBUF, value: CInt(4 << 20))
        try? Syscall.setOption(descriptor, level: SOL_SOCKET, name: SO_SNDBUF, value: CInt(4 << 20))
        switch socket.family {
        case .v4:
            if socket.isRaw {
                // ICMP_FILTER (linux/icmp.h: SOL_RAW 255, ICMP_FILTER 1) is a mask of types to drop in the
                // kernel: keep echo reply (0), destination unreachable (3) and time exceeded (11), so
                // the echo requests we send to ourselves on loopback never reach us.
                let keep: UInt32 = 1 << 0 | 1 << 3 | 1 << 11
                try? Syscall.setOption(descriptor, level: 255, name: 1, value: ~keep)
            } else {
                try? Syscall.setOption(descriptor, level: CInt(IPPROTO_IP), name: IP_RECVTTL, value: CInt(1))
            }
        case .v6:
            if socket.isRaw {
                // ICMP6_FILTER (netinet/icmp6.h: level IPPROTO_ICMPV6, name 1): a set bit blocks a
                // type. Pass echo reply (129) and destination unreachable (1) only.
                var blocked = [UInt32](repeating: .max, count: 8)
                for type in [129, 1] { blocked[type >> 5] &= ~(1 << UInt32(type & 31)) }
                let filter = (blocked[0], blocked[1], blocked[2], blocked[3], blocked[4], blocked[5], blocked[6],
                              blocked[7])
                try? Syscall.setOption(descriptor, level: CInt(IPPROTO_ICMPV6), name: 1, value: filter)
            }
            try? Syscall.setOption(descriptor, level: CInt(IPPROTO_IPV6), name: IPV6_RECVHOPLIMIT, value: CInt(1))
        }
        return socket
    }
}

/// Buffers for receiving up to `slots` datagrams with one `recvmmsg`, with their source addresses
/// and control messages (the reply's hop limit).
final class ReceiveBatch {
    let slots: Int
    let bufferSize: Int
    let headers: UnsafeMutablePointer<ispwatch_mmsghdr>
    private let vectors: UnsafeMutablePointer<iovec>
    private let buffers: UnsafeMutableRawPointer
    private let names: UnsafeMutablePointer<sockaddr_storage>
    private let controls: UnsafeMutableRawPointer
    private let controlSize = 64

    init(slots: Int, bufferSize: Int) {
        self.slots = slots
        self.bufferSize = bufferSize
        headers = .allocate(capacity: slots)
        headers.initialize(repeating: ispwatch_mmsghdr(), count: slots)
        vectors = .allocate(capacity: slots)
        vectors.initialize(repeating: iovec(), count: slots)
        buffers = .allocate(byteCount: slots * bufferSize, alignment: 16)
        names = .allocate(capacity: slots)
        names.initialize(repeating: sockaddr_storage(), count: slots)
        controls = .allocate(byteCount: slots * controlSize, alignment: 16)
        for index in 0..<slots {
            vectors[index].iov_base = buffers + index * bufferSize
            vectors[index].iov_len = bufferSize
            headers[index].msg_hdr.msg_iov = vectors + index
            headers[index].msg_hdr.msg_iovlen = 1
            headers[index].msg_hdr.msg_name = UnsafeMutableRawPointer(names + index)
            headers[index].msg_hdr.msg_control = controls + index * controlSize
        }
    }

    deinit {
        headers.deallocate()
        vectors.deallocate()
        buffers.deallocate()
        names.deallocate()
        controls.deallocate()
    }

    /// Receives what is queued on `descriptor`, up to `slots` datagrams; 0 when nothing is.
    func receive(from descriptor: Descriptor) throws(SystemError) -> Int {
        // The kernel overwrites the lengths; give every slot its full room back.
        for index in 0..<slots {
            headers[index].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
            headers[index].msg_hdr.msg_controllen = controlSize
        }
        do {
            return try Syscall.receiveMessages(descriptor, headers, count: slots)
        } catch where error.errno == .wouldBlock {
            return 0
        }
    }

    /// The bytes of datagram `index` of the last receive.
    func datagram(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffers + index * bufferSize,
                               count: min(Int(headers[index].msg_len), bufferSize))
    }

    /// The source address of datagram `index`.
    func source(_ index: Int) -> IPAddress? {
        IPSocketAddress(UnsafeRawPointer(names + index))?.address
    }

    /// The hop limit (TTL) carried in datagram `index`'s control messages, if the socket reports it.
    func hopLimit(_ index: Int) -> Int? {
        // msg_hdr is the first member of the mmsghdr.
        let message = UnsafeMutableRawPointer(headers + index).assumingMemoryBound(to: msghdr.self)
        var control = ispwatch_cmsg_firsthdr(message)
        while let header = control {
            let level = header.pointee.cmsg_level
            let type = header.pointee.cmsg_type
            if (level == CInt(IPPROTO_IP) && type == IP_TTL) || (level == CInt(IPPROTO_IPV6) && type == IPV6_HOPLIMIT) {
                return Int(UnsafeRawPointer(ispwatch_cmsg_data(header)).loadUnaligned(as: CInt.self))
            }
            control = ispwatch_cmsg_nxthdr(message, header)
        }
        return nil
    }
}
