import Foundation

/// A test-only TCP server on 127.0.0.1 that misbehaves the way broken or hostile HTTP peers do.
///
/// Each connection is served on its own thread; every behaviour is bounded in time so that no
/// thread outlives the test by more than a few seconds.
final class HostileHTTPPeer: Sendable {
    enum Behavior: Sendable {
        /// Reads the request, then sends a valid response one byte per second.
        case dripOneBytePerSecond
        /// Sends headers without a length, then body bytes as fast as the peer takes them.
        case endlessBody
        /// Answers with bytes that are not HTTP at all.
        case garbage
        /// Reads the request and closes the connection without a word.
        case acceptAndClose
    }

    let port: Int
    private let listener: Int32

    init(_ behavior: Behavior) throws {
        let (listener, port) = try LoopbackSocket.bind(listen: 128)
        self.listener = listener
        self.port = port
        Thread.detachNewThread {
            while true {
                let connection = accept(listener, nil, nil)
                guard connection >= 0 else { return }  // The listener was shut down.
                Thread.detachNewThread { Self.serve(connection, behavior) }
            }
        }
    }

    /// Stops accepting; connections already served end on their own bounds.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    private static func serve(_ connection: Int32, _ behavior: Behavior) {
        defer { close(connection) }
        // Every send uses MSG_NOSIGNAL so that a peer that hung up cannot raise SIGPIPE.
        switch behavior {
        case .dripOneBytePerSecond:
            readRequest(connection)
            for byte in Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8) {
                guard send(connection, [byte], 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                sleep(1)
            }
        case .endlessBody:
            readRequest(connection)
            guard sendAll(connection, Array("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".utf8)) else { return }
            let chunk = [UInt8](repeating: UInt8(ascii: "z"), count: 64 << 10)
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, sendAll(connection, chunk) {}
        case .garbage:
            readRequest(connection)
            _ = sendAll(connection, Array("SSH-2.0-OpenSSH_9.2\r\n\u{1}\u{2}\u{3} not http at all\r\n\r\n".utf8))
            usleep(200_000)
        case .acceptAndClose:
            readRequest(connection)
        }
    }

    private static func readRequest(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = recv(connection, &buffer, buffer.count, 0)
    }

    private static func sendAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}
