/// The address the metrics server listens on, as given to `--metrics-address`: `HOST:PORT`, with an
/// IPv6 host in brackets (`[::1]:9464`).
public struct MetricsAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IP literal or a host name (without brackets for IPv6).
    public var host: String
    /// The TCP port; 0 lets the system choose a free one.
    public var port: Int

    /// `127.0.0.1:9464`: loopback only, on the port registered for OpenTelemetry's Prometheus
    /// exporter, so that exposing the metrics to the network is a decision someone makes.
    public static let `default` = MetricsAddress(host: "127.0.0.1", port: 9464)

    /// Creates an address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`.
    ///
    /// - Throws: ``MetricsAddressError`` naming the text and what to write instead when the host
    ///   is missing, the port is not a number from 0 to 65535, or an IPv6 address is not bracketed.
    public init(parsing text: String) throws(MetricsAddressError) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let closing = text.firstIndex(of: "]") else {
                throw MetricsAddressError(text, "an IPv6 address needs its closing bracket, as in [::1]:9464")
            }
            host = text[text.index(after: text.startIndex)..<closing]
            let rest = text[text.index(after: closing)...]
            guard rest.hasPrefix(":") else {
                throw MetricsAddressError(text, "the port is missing: write [\(host)]:9464")
            }
            portText = rest.dropFirst()
            guard host.contains(":") else {
                throw MetricsAddressError(text, "brackets are for IPv6 addresses: write \(host):\(portText)")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw MetricsAddressError(text, "the port is missing: write \(text.isEmpty ? "127.0.0.1" : text):9464")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else {
                throw MetricsAddressError(text, "put an IPv6 address in brackets, as in [::1]:9464")
            }
        }
        guard !host.isEmpty else {
            throw MetricsAddressError(text, "the host is missing: write 127.0.0.1:\(portText) (loopback) or 0.0.0.0:\(portText) (every interface)")
        }
        guard !host.contains(where: \.isWhitespace) else {
            throw MetricsAddressError(text, "the host contains a space")
        }
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw MetricsAddressError(text, "the port must be a number from 0 to 65535")
        }
        self.init(host: String(host), port: port)
    }

    /// `host:port`, with an IPv6 host in brackets: the form ``init(parsing:)`` reads.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A `--metrics-address` value that is not `HOST:PORT`.
public struct MetricsAddressError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public var text: String
    /// What is wrong with it and what to write instead.
    public var reason: String

    init(_ text: String, _ reason: String) {
        self.text = text
        self.reason = reason
    }

    /// `invalid metrics address "…": …`.
    public var description: String { "invalid metrics address \"\(text)\": \(reason)" }
}
