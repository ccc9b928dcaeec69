#if canImport(Glibc)
import Glibc
#endif
import CSocketShim

// Every system call the TCP and ICMP probers make goes through this file: each wrapper names the C
// call it makes, passes the result through `checked`, which retries EINTR and turns -1 into a typed
// `SystemError`, and hands back typed values instead of raw integers.

/// An open file descriptor owned by the probers (a socket, the epoll instance, an eventfd).
struct Descriptor: Hashable, Sendable, CustomStringConvertible {
    let rawValue: CInt
    var description: String { "fd \(rawValue)" }
}

/// The funnel: runs `body`, retries on EINTR, and throws the `errno` of a -1 result.
@inline(__always)
private func checked<Result: FixedWidthInteger>(_ call: StaticString, _ body: () -> Result) throws(SystemError)
    -> Result
{
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw SystemError(call: call.description, errno: Errno(rawValue: code))
    }
}

/// The socket types the probers open.
enum SocketType {
    case stream
    case datagram
    case raw

    fileprivate var rawValue: CInt {
        let base: __socket_type = switch self {
        case .stream: SOCK_STREAM
        case .datagram: SOCK_DGRAM
        case .raw: SOCK_RAW
        }
        return CInt(base.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
    }
}

/// Readiness conditions of epoll, as a set.
struct EpollEvents: OptionSet, Sendable {
    let rawValue: UInt32
    static let input = EpollEvents(rawValue: EPOLLIN.rawValue)
    static let output = EpollEvents(rawValue: EPOLLOUT.rawValue)
    static let error = EpollEvents(rawValue: EPOLLERR.rawValue)
    static let hangUp = EpollEvents(rawValue: EPOLLHUP.rawValue)
}

/// Thin, typed wrappers over the C library, one per system call.
enum Syscall {
    // MARK: - Descriptors

    /// `close(2)`. EINTR is not retried: on Linux the descriptor is released either way.
    static func close(_ descriptor: Descriptor) {
        _ = Glibc.close(descriptor.rawValue)
    }

    /// `read(2)` into `buffer`; the byte count.
    static func read(_ descriptor: Descriptor, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> Int {
        try checked("read") { Glibc.read(descriptor.rawValue, buffer.baseAddress, buffer.count) }
    }

    /// `write(2)` from `buffer`; the byte count.
    static func write(_ descriptor: Descriptor, from buffer: UnsafeRawBufferPointer) throws(SystemError) -> Int {
        try checked("write") { Glibc.write(descriptor.rawValue, buffer.baseAddress, buffer.count) }
    }

    // MARK: - Sockets

    /// `socket(2)` with SOCK_NONBLOCK and SOCK_CLOEXEC always set.
    static func socket(family: CInt, type: SocketType, protocol: CInt = 0) throws(SystemError) -> Descriptor {
        Descriptor(rawValue: try checked("socket") { Glibc.socket(family, type.rawValue, `protocol`) })
    }

    /// `connect(2)`. On a non-blocking socket EINPROGRESS arrives as a thrown `.inProgress`.
    static func connect(_ descriptor: Descriptor, to address: IPSocketAddress) throws(SystemError) {
        _ = try address.withSockAddr { (pointer, length) throws(SystemError) in
            try checked("connect") { Glibc.connect(descriptor.rawValue, pointer, length) }
        }
    }

    /// `setsockopt(2)` with a value of any fixed-layout type.
    static func setOption<Value: BitwiseCopyable>(_ descriptor: Descriptor, level: CInt, name: CInt, value: Value)
        throws(SystemError)
    {
        _ = try withUnsafeBytes(of: value) { (bytes) throws(SystemError) in
            try checked("setsockopt") {
                setsockopt(descriptor.rawValue, level, name, bytes.baseAddress, socklen_t(bytes.count))
            }
        }
    }

    /// `getsockopt(2)` for SO_ERROR: the pending error of the socket, or `nil` when there is none.
    static func pendingError(_ descriptor: Descriptor) throws(SystemError) -> Errno? {
        var value: CInt = 0
        var length = socklen_t(MemoryLayout<CInt>.size)
        _ = try checked("getsockopt") { getsockopt(descriptor.rawValue, SOL_SOCKET, SO_ERROR, &value, &length) }
        return value == 0 ? nil : Errno(rawValue: value)
    }

    /// `sendto(2)` of `bytes` to `address`, non-blocking.
    static func send(_ descriptor: Descriptor, _ bytes: UnsafeRawBufferPointer, to address: IPSocketAddress)
        throws(SystemError) -> Int
    {
        try address.withSockAddr { (pointer, length) throws(SystemError) in
            try checked("sendto") {
                sendto(descriptor.rawValue, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), pointer, length)
            }
        }
    }

    /// `recvmmsg(2)` without waiting: fills up to `count` prepared headers; how many it filled.
    /// Throws `.wouldBlock` when nothing is queued.
    static func receiveMessages(_ descriptor: Descriptor, _ headers: UnsafeMutablePointer<ispwatch_mmsghdr>,
                                count: Int) throws(SystemError) -> Int
    {
        Int(try checked("recvmmsg") {
            ispwatch_recvmmsg(descriptor.rawValue, headers, UInt32(count), CInt(MSG_DONTWAIT), nil)
        })
    }

    // MARK: - epoll and eventfd

    /// `epoll_create1(2)` with EPOLL_CLOEXEC.
    static func epollCreate() throws(SystemError) -> Descriptor {
        Descriptor(rawValue: try checked("epoll_create1") { epoll_create1(CInt(EPOLL_CLOEXEC)) })
    }

    /// `epoll_ctl(2)` EPOLL_CTL_ADD, tagging the registration with `token`.
    static func epollAdd(_ epoll: Descriptor, _ descriptor: Descriptor, events: EpollEvents, token: UInt64)
        throws(SystemError)
    {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        _ = try checked("epoll_ctl") { epoll_ctl(epoll.rawValue, EPOLL_CTL_ADD, descriptor.rawValue, &event) }
    }

    /// `epoll_ctl(2)` EPOLL_CTL_MOD: replaces the events and token of a registration.
    static func epollModify(_ epoll: Descriptor, _ descriptor: Descriptor, events: EpollEvents, token: UInt64)
        throws(SystemError)
    {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        _ = try checked("epoll_ctl") { epoll_ctl(epoll.rawValue, EPOLL_CTL_MOD, descriptor.rawValue, &event) }
    }

    /// `epoll_ctl(2)` EPOLL_CTL_DEL.
    static func epollRemove(_ epoll: Descriptor, _ descriptor: Descriptor) throws(SystemError) {
        _ = try checked("epoll_ctl") { epoll_ctl(epoll.rawValue, EPOLL_CTL_DEL, descriptor.rawValue, nil) }
    }

    /// `epoll_wait(2)`: waits up to `milliseconds` (-1 forever) and fills `events`; how many it filled.
    static func epollWait(_ epoll: Descriptor, _ events: UnsafeMutableBufferPointer<epoll_event>,
                          milliseconds: CInt) throws(SystemError) -> Int
    {
        Int(try checked("epoll_wait") {
            epoll_wait(epoll.rawValue, events.baseAddress, CInt(events.count), milliseconds)
        })
    }

    /// `eventfd(2)`, non-blocking, close-on-exec.
    static func eventDescriptor() throws(SystemError) -> Descriptor {
        Descriptor(rawValue: try checked("eventfd") { eventfd(0, CInt(EFD_NONBLOCK | EFD_CLOEXEC)) })
    }

    // MARK: - Time

    /// `clock_gettime(2)` of CLOCK_MONOTONIC, in nanoseconds.
    @inline(__always)
    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        // CLOCK_MONOTONIC cannot fail on Linux; the funnel would only add a branch on the hot path.
        _ = clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }

    // MARK: - Threads and semaphores

    /// `pthread_create(3)` of a detached thread running `body`.
    static func spawnDetachedThread(_ body: @escaping @Sendable () -> Void) throws(SystemError) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(&thread, nil, { argument in
            let body = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard code == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            throw SystemError(call: "pthread_create", errno: Errno(rawValue: code))
        }
        pthread_detach(thread)
    }

    /// `sem_init(3)` of a process-private semaphore at `semaphore`.
    static func semaphoreInit(_ semaphore: UnsafeMutablePointer<sem_t>) throws(SystemError) {
        _ = try checked("sem_init") { sem_init(semaphore, 0, 0) }
    }

    /// `sem_wait(3)`, retried on EINTR.
    static func semaphoreWait(_ semaphore: UnsafeMutablePointer<sem_t>) {
        _ = try? checked("sem_wait") { sem_wait(semaphore) }
    }

    /// `sem_post(3)`.
    static func semaphorePost(_ semaphore: UnsafeMutablePointer<sem_t>) {
        _ = try? checked("sem_post") { sem_post(semaphore) }
    }

    // MARK: - Name resolution

    /// `getaddrinfo(3)` of `host` restricted to `family` (AF_UNSPEC for any); the addresses in the
    /// resolver's order, or the EAI_* error text.
    static func resolve(host: String, family: CInt) -> Result<[IPAddress], AddressLookupError> {
        var hints = addrinfo()
        hints.ai_family = family
        hints.ai_socktype = CInt(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else {
            let text = String(cString: gai_strerror(code))
            return .failure(AddressLookupError(message: text, isNoSuchName: code == EAI_NONAME))
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var cursor = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr, let socketAddress = IPSocketAddress(UnsafeRawPointer(address)),
               !addresses.contains(socketAddress.address)
            {
                addresses.append(socketAddress.address)
            }
            cursor = entry.pointee.ai_next
        }
        return .success(addresses)
    }
}

/// Why `getaddrinfo` found no address.
struct AddressLookupError: Error, Sendable {
    var message: String
    var isNoSuchName: Bool
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
