#if canImport(Glibc)
import Glibc
#endif

/// The socket calls of the lab's TCP listeners, each checked, in one place.
enum ListeningSocket {
    /// A TCP socket listening on `address:port` (port 0: a free one), non-blocking for `poll`.
    /// Returns the descriptor and the port bound.
    static func open(address: String, port: UInt16) throws(LabServerError) -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw .system("socket", errno, address: address) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            close(descriptor)
            throw LabServerError(description: "\(address) is not an IPv4 address")
        }
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 256) == 0 else {
            let code = errno
            close(descriptor)
            throw .system("bind/listen", code, address: "\(address):\(port)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, UInt16(bigEndian: socketAddress.sin_port))
    }

    /// Waits up to `milliseconds` for a connection; the accepted (blocking) descriptor, or nil.
    static func accept(_ descriptor: Int32, waitingUpTo milliseconds: Int32) -> Int32? {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, milliseconds) > 0 else { return nil }
        let connection = Glibc.accept(descriptor, nil, nil)
        guard connection >= 0 else { return nil }
        // The listener is non-blocking for poll; the connection's thread wants blocking reads.
        _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) & ~O_NONBLOCK)
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        // A client that connects and says nothing must not hold a thread for long.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return connection
    }
}

/// A lab server could not start.
public struct LabServerError: Error, Sendable, CustomStringConvertible {
    /// What failed, where, and the system's reason.
    public var description: String

    static func system(_ call: String, _ code: Int32, address: String) -> LabServerError {
        LabServerError(description: "\(call) on \(address): \(String(cString: strerror(code)))")
    }
}
