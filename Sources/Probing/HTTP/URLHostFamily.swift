import Glibc
import WatchCore

/// The IP family of a URL whose host is an IP literal, e.g. `http://[::1]:80/` is IPv6.
///
/// libcurl connects to an IP literal whatever `CURLOPT_IPRESOLVE` says, and then fails with a
/// vague "couldn't connect"; knowing the literal's family lets a forced-family probe fail
/// clearly before it starts.
enum URLHostFamily {
    /// The family of the URL's host when it is an IP literal; `nil` for a host name.
    static func of(_ url: String) -> IPFamily? {
        let bytes = Array(url.utf8)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[colon...].starts(with: "://".utf8) else {
            return nil
        }
        let rest = String(decoding: bytes[(colon + 3)...], as: UTF8.self)
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let userInfoEnd = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: userInfoEnd)...]
        }
        if authority.first == "[" { return .v6 }
        let host = authority.prefix { $0 != ":" }
        var address = in_addr()
        return inet_pton(AF_INET, String(host), &address) == 1 ? .v4 : nil
    }
}
