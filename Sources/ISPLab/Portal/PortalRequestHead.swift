/// The part of an HTTP/1.1 request the portal looks at: method and path. The body, if any, is ignored.
struct PortalRequestHead {
    var method: String
    var path: String

    /// The largest request head read; a longer one is not answered.
    static let maximumSize = 16 * 1024

    /// Reads until the blank line ending the head; nil when the client stops, times out or sends
    /// something that is not a request.
    static func read(from stream: any PortalStream) -> PortalRequestHead? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < maximumSize {
            let count = buffer.withUnsafeMutableBytes { stream.read(into: $0) }
            guard count > 0 else { return nil }
            received += buffer[0..<count]
            if let end = received.firstRange(of: [13, 10, 13, 10]) {
                let requestLine = received[..<end.lowerBound].split(separator: 10).first ?? []
                let parts = String(decoding: requestLine, as: UTF8.self).split(separator: " ")
                guard parts.count >= 2 else { return nil }
                return PortalRequestHead(method: String(parts[0]), path: String(parts[1]))
            }
        }
        return nil
    }
}

/// The portal's answer: a small HTML page naming the provider, or an error page for a 5xx fault.
struct PortalResponse {
    var status: Int
    var providerName: String
    var headOnly: Bool

    var bytes: [UInt8] {
        let reason = status == 200 ? "OK" : status == 503 ? "Service Unavailable" : "Server Error"
        let body = status == 200
            ? "<!doctype html><title>\(providerName) portal</title><h1>\(providerName) portal</h1><p>Simulated by the ispwatch lab.</p>\n"
            : "<!doctype html><title>\(status)</title><h1>\(status) \(reason)</h1>\n"
        let bodyBytes = Array(body.utf8)
        let head = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: \(bodyBytes.count)\r\n"
            + "Connection: close\r\nServer: ispwatch-lab\r\n\r\n"
        return Array(head.utf8) + (headOnly ? [] : bodyBytes)
    }
}
