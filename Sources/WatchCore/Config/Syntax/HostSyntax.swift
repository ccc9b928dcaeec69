/// What a `host` or `server` field holds: an IP literal, or a host name to resolve.
public enum HostSyntax: Sendable, Hashable {
    /// An IPv4 address in dotted-quad form.
    case ipv4
    /// An IPv6 address (without brackets).
    case ipv6
    /// A DNS host name, resolved by the prober at every probe.
    case hostName

    /// Classifies `text`; `nil` when it is neither an IP literal nor a valid host name.
    public static func classify(_ text: String) -> HostSyntax? {
        if isIPv4(text) { return .ipv4 }
        if isIPv6(text) { return .ipv6 }
        if isHostName(text) { return .hostName }
        return nil
    }

    /// The only family an IP literal can be reached over; `nil` for a host name.
    public var family: IPFamily? {
        switch self {
        case .ipv4: .v4
        case .ipv6: .v6
        case .hostName: nil
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            // No leading zeros: `010` is octal to some resolvers and decimal to others.
            (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber }
                && (part == "0" || part.first != "0") && Int(part)! <= 255
        }
    }

    static func isIPv6(_ text: String) -> Bool {
        let halves = text.splitOnce(separator: "::")
        if let (head, tail) = halves {
            guard let headCount = groupCount(head, allowEmpty: true, ipv4Tail: false),
                  let tailCount = groupCount(tail, allowEmpty: true, ipv4Tail: true)
            else { return false }
            // `::` stands for at least one group of zeros.
            return headCount + tailCount <= 7
        }
        return groupCount(text, allowEmpty: false, ipv4Tail: true) == 8
    }

    /// The number of 16-bit groups in a colon-separated run, counting a trailing IPv4 part as two;
    /// `nil` when a group is not 1–4 hex digits.
    private static func groupCount(_ text: String, allowEmpty: Bool, ipv4Tail: Bool) -> Int? {
        if text.isEmpty { return allowEmpty ? 0 : nil }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        var count = 0
        for (index, group) in groups.enumerated() {
            if ipv4Tail && index == groups.count - 1 && group.contains(".") {
                guard isIPv4(String(group)) else { return nil }
                count += 2
            } else {
                guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return nil }
                count += 1
            }
        }
        return count
    }

    static func isHostName(_ text: String) -> Bool {
        var name = Substring(text)
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        } && !labels.last!.allSatisfy(\.isNumber)
    }
}

extension String {
    /// Splits at the first `separator`; `nil` when it is absent or occurs more than once.
    fileprivate func splitOnce(separator: String) -> (String, String)? {
        guard let first = range(of: separator) else { return nil }
        let tail = String(self[first.upperBound...])
        guard tail.range(of: separator) == nil else { return nil }
        return (String(self[..<first.lowerBound]), tail)
    }

    fileprivate func range(of needle: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) {
                return index..<self.index(index, offsetBy: needle.count)
            }
            index = self.index(after: index)
        }
        return nil
    }
}
