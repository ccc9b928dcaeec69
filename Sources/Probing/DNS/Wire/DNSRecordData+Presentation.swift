import WatchCore

extension DNSResourceRecord {
    /// The record in zone-file presentation format, e.g. `www.example. 300 IN A 192.0.2.1`.
    public var presentation: String {
        "\(name) \(ttl) \(DNSClass.mnemonic(recordClass)) \(type) \(data.presentation)"
    }
}

extension DNSRecordData {
    /// The data alone in presentation format (`192.0.2.1`, `10 mail.example.`, `"text"`), with
    /// unknown types in the RFC 3597 form `\# 4 c0000201`.
    public var presentation: String {
        switch self {
        case .a(let address):
            let o = address.octets
            return "\(o.0).\(o.1).\(o.2).\(o.3)"
        case .aaaa(let address):
            return IPv6Presentation.format(address.bytes)
        case .cname(let name), .ns(let name), .ptr(let name):
            return name.description
        case .mx(let preference, let exchange):
            return "\(preference) \(exchange)"
        case .txt(let strings):
            return strings.map(Self.quoted).joined(separator: " ")
        case .soa(let soa):
            return "\(soa.primaryServer) \(soa.responsibleMailbox) \(soa.serial) \(soa.refresh) \(soa.retry) "
                + "\(soa.expire) \(soa.minimum)"
        case .caa(let flags, let tag, let value):
            return "\(flags) \(String(decoding: tag, as: UTF8.self)) \(Self.quoted(value))"
        case .opt(let bytes), .unknown(let bytes):
            return Self.genericPresentation(bytes)
        }
    }

    /// RFC 3597 §5: `\# length hex`.
    static func genericPresentation(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "\\# 0" }
        return "\\# \(bytes.count) " + hex(bytes)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var text = ""
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.unicodeScalars.append(digits[Int(byte >> 4)])
            text.unicodeScalars.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    /// A character-string in double quotes, with `"` and `\` escaped and non-printable bytes as
    /// `\DDD` (RFC 1035 §5.1).
    static func quoted(_ bytes: [UInt8]) -> String {
        var text = "\""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                text.append("\\")
                text.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20...0x7E:
                text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                DNSName.appendEscaped(byte, to: &text)
            }
        }
        text.append("\"")
        return text
    }
}

/// Formats IPv6 addresses as RFC 5952 recommends: lowercase hex, no leading zeros, the longest
/// run of two or more zero groups shortened to `::`, an embedded IPv4 for `::ffff:0:0/96`.
enum IPv6Presentation {
    static func format(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return DNSRecordData.genericPresentation(bytes) }
        var groups = [UInt16](repeating: 0, count: 8)
        for index in 0..<8 { groups[index] = UInt16(bytes[2 * index]) << 8 | UInt16(bytes[2 * index + 1]) }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "::ffff:\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
        }
        var bestStart = -1
        var bestLength = 0
        var runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                if index - runStart > bestLength {
                    bestStart = runStart
                    bestLength = index - runStart
                }
                runStart = -1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        var index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }
}
