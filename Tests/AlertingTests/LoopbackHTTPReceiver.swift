#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// A minimal HTTP/1.1 server on 127.0.0.1 that records the bodies POSTed to it and answers each
/// request with the next status of a script (then 200), closing every connection. It runs on its own
/// thread, since it blocks in accept(2), and stops when closed.
final class LoopbackHTTPReceiver: Sendable {
    let port: Int
    private let listener: Int32
    private let state = Mutex<(bodies: [Data], heads: [String], statuses: [Int])>(([], [], []))

    init(statuses: [Int] = []) throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw FixtureError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 16) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        guard ok else { throw FixtureError("bind/listen 127.0.0.1:0: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
        state.withLock { $0.statuses = statuses }
        Thread.detachNewThread { [self] in serve() }
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)/hook")! }

    /// The bodies received so far.
    var bodies: [Data] { state.withLock { $0.bodies } }

    /// The request lines and headers received so far, one string per request.
    var heads: [String] { state.withLock { $0.heads } }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }

    private func serve() {
        // Bounded: a test sends a handful of requests.
        for _ in 0..<1_000 {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            handle(connection)
            Glibc.close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        while expected.map({ received.count < $0 }) ?? true {
            let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            received += buffer[0..<count]
            if expected == nil, let end = find(Array("\r\n\r\n".utf8), in: received) {
                let head = String(decoding: received[0..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end + 4 + length
            }
        }
        let headEnd = find(Array("\r\n\r\n".utf8), in: received)! + 4
        let status = state.withLock { state -> Int in
            state.bodies.append(Data(received[headEnd...]))
            state.heads.append(String(decoding: received[0..<headEnd], as: UTF8.self))
            return state.statuses.isEmpty ? 200 : state.statuses.removeFirst()
        }
        let response = Array("HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
    }

    private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
