import Foundation
import Glibc

/// A network namespace of the test's own, so that timeouts and unreachable paths can be tested
/// without sending a packet outside the machine (or even outside the namespace).
///
/// Inside: `lo` up; a veth pair `v0`/`v1` with 10.200.0.1/24 on `v0` and a permanent neighbour entry
/// for 10.200.0.2 pointing at a MAC nobody has, so packets to 10.200.0.2 leave `v0`, arrive at `v1`
/// (not addressed to it) and vanish: a silent host. Nothing routes to 10.99.0.0/16.
struct NetworkNamespace {
    let name: String

    /// An address whose packets are silently dropped inside the namespace.
    static let silentHost = "10.200.0.2"
    /// An address with no route inside the namespace.
    static let unroutedHost = "10.99.0.1"

    /// Creates the namespace, runs `body`, and deletes the namespace even when `body` throws.
    /// `pingGroupRange` sets `net.ipv4.ping_group_range` in the namespace (nil keeps the kernel's
    /// default, which allows nobody).
    static func with<Result>(pingGroupRange: String? = "0 2147483647",
                             _ body: (NetworkNamespace) async throws -> Result) async throws -> Result
    {
        let namespace = NetworkNamespace(name: "ispwatch-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try run("ip", "netns", "add", namespace.name)
        defer { _ = try? run("ip", "netns", "del", namespace.name) }
        let n = namespace.name
        try run("ip", "-n", n, "link", "set", "lo", "up")
        try run("ip", "-n", n, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
        try run("ip", "-n", n, "addr", "add", "10.200.0.1/24", "dev", "v0")
        try run("ip", "-n", n, "link", "set", "v0", "up")
        try run("ip", "-n", n, "link", "set", "v1", "up")
        try run("ip", "-n", n, "neigh", "add", silentHost, "lladdr", "02:00:00:00:00:02", "dev", "v0", "nud", "permanent")
        if let pingGroupRange {
            try run("ip", "netns", "exec", n, "/usr/sbin/sysctl", "-q", "-w", "net.ipv4.ping_group_range=\(pingGroupRange)")
        }
        return try await body(namespace)
    }

    /// Builds a value on a fresh thread that has joined this namespace. Sockets it opens, and
    /// threads it starts (a prober's event loop), live in the namespace.
    func build<Value: Sendable>(_ make: @escaping @Sendable () throws -> Value) async throws -> Value {
        let path = "/run/netns/\(name)"
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else {
                    continuation.resume(throwing: TestFixtureError("open \(path): errno \(errno)"))
                    return
                }
                defer { close(descriptor) }
                // setns needs _GNU_SOURCE, which Swift's Glibc module does not define.
                typealias SetNamespace = @convention(c) (Int32, Int32) -> Int32
                let setns = unsafeBitCast(dlsym(nil, "setns"), to: SetNamespace.self)
                let cloneNewNet: Int32 = 0x4000_0000
                guard setns(descriptor, cloneNewNet) == 0 else {
                    continuation.resume(throwing: TestFixtureError("setns \(path): errno \(errno)"))
                    return
                }
                continuation.resume(with: Result { try make() })
            }
            thread.start()
        }
    }

    private static let ip = "/usr/sbin/ip"

    /// Runs `ip` with the arguments after the leading "ip".
    private static func run(_ arguments: String...) throws {
        try Command.run(ip, Array(arguments.dropFirst()), package: "iproute2")
    }
}
