/// The parts of an `http://` or `https://` URL that configuration checks look at.
///
/// A deliberately small parser (WatchCore does not use Foundation's `URL`): it finds the scheme,
/// the host and the port, which is what a probe needs to be well defined. libcurl parses the URL
/// again when probing.
struct HTTPURLParts: Equatable {
    var scheme: String
    var host: String
    var port: Int?

    enum Problem: Error, Equatable {
        case noScheme
        case unsupportedScheme(String)
        case noHost
        case badHost(String)
        case badPort(String)
    }

    static func parse(_ text: String) -> Result<HTTPURLParts, Problem> {
        guard let schemeEnd = text.firstRange(of: "://") else { return .failure(.noScheme) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return .failure(.unsupportedScheme(scheme)) }
        let afterScheme = text[schemeEnd.upperBound...]
        var authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.badHost(String(authority))) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { return .failure(.badHost(String(authority))) }
                portText = rest.dropFirst()
            }
            guard HostSyntax.isIPv6(String(host)) else { return .failure(.badHost(String(host))) }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            if host.isEmpty { return .failure(.noHost) }
            guard HostSyntax.isIPv4(String(host)) || HostSyntax.isHostName(String(host)) else {
                return .failure(.badHost(String(host)))
            }
        }
        if host.isEmpty { return .failure(.noHost) }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65_535).contains(value) else {
                return .failure(.badPort(String(portText)))
            }
            port = value
        }
        return .success(HTTPURLParts(scheme: scheme, host: String(host), port: port))
    }
}
