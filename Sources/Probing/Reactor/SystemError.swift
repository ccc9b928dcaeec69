#if canImport(Glibc)
import Glibc
#endif

/// An `errno` value, named where the probers act on it.
struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    var rawValue: CInt

    init(rawValue: CInt) { self.rawValue = rawValue }

    static let interrupted = Errno(rawValue: EINTR)
    static let wouldBlock = Errno(rawValue: EAGAIN)
    static let inProgress = Errno(rawValue: EINPROGRESS)
    static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    static let connectionReset = Errno(rawValue: ECONNRESET)
    static let networkUnreachable = Errno(rawValue: ENETUNREACH)
    static let hostUnreachable = Errno(rawValue: EHOSTUNREACH)
    static let timedOut = Errno(rawValue: ETIMEDOUT)
    static let permissionDenied = Errno(rawValue: EACCES)
    static let notPermitted = Errno(rawValue: EPERM)
    static let protocolNotSupported = Errno(rawValue: EPROTONOSUPPORT)
    static let addressFamilyNotSupported = Errno(rawValue: EAFNOSUPPORT)

    /// The symbolic name and the C library's message, e.g. `ECONNREFUSED (Connection refused)`.
    var description: String {
        let message = String(cString: strerror(rawValue))
        return "\(Errno.symbols[rawValue] ?? "errno \(rawValue)") (\(message))"
    }

    private static let symbols: [CInt: String] = [
        EINTR: "EINTR", EAGAIN: "EAGAIN", EINPROGRESS: "EINPROGRESS", ECONNREFUSED: "ECONNREFUSED",
        ECONNRESET: "ECONNRESET", ENETUNREACH: "ENETUNREACH", EHOSTUNREACH: "EHOSTUNREACH",
        ETIMEDOUT: "ETIMEDOUT", EACCES: "EACCES", EPERM: "EPERM", EMFILE: "EMFILE", ENFILE: "ENFILE",
        ENOBUFS: "ENOBUFS", ENOMEM: "ENOMEM", EADDRNOTAVAIL: "EADDRNOTAVAIL", EINVAL: "EINVAL",
        EPROTONOSUPPORT: "EPROTONOSUPPORT", EAFNOSUPPORT: "EAFNOSUPPORT", EBADF: "EBADF",
    ]
}

/// A failed system call: which call, and the `errno` it left.
struct SystemError: Error, Sendable, CustomStringConvertible {
    /// The C function that failed, e.g. `connect`.
    var call: String
    var errno: Errno

    var description: String { "\(call): \(errno)" }
}
