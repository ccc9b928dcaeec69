/// A domain name, kept in uncompressed wire form (length-prefixed labels, ending with the root).
///
/// Comparison is case-insensitive for ASCII, as DNS requires (RFC 4343).
public struct DNSName: Sendable, Hashable, CustomStringConvertible {
    /// Labels in wire form: each a length byte then its bytes, then a zero byte for the root.
    public private(set) var wire: [UInt8]

    /// The longest name in wire form (RFC 1035 §2.3.4).
    public static let maximumWireLength = 255
    /// The longest label (RFC 1035 §2.3.4).
    public static let maximumLabelLength = 63

    /// The root name `.`.
    public static let root = DNSName(uncheckedWire: [0])

    /// Wraps wire bytes that the caller has already validated.
    init(uncheckedWire: [UInt8]) { self.wire = uncheckedWire }

    /// Parses a name in presentation format (`www.example.vn`, trailing dot optional, `\.` and
    /// `\DDD` escapes honoured).
    /// - Throws: ``DNSWireError`` when a label is empty or too long, or the name too long.
    public init(_ text: String) throws(DNSWireError) {
        if text == "." || text.isEmpty {
            self = .root
            return
        }
        var wire: [UInt8] = []
        wire.reserveCapacity(text.utf8.count + 2)
        var label: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        var endedWithDot = false
        func closeLabel() throws(DNSWireError) {
            guard !label.isEmpty else { throw .emptyLabel }
            guard label.count <= Self.maximumLabelLength else { throw .labelTooLong(at: wire.count) }
            wire.append(UInt8(label.count))
            wire.append(contentsOf: label)
            label.removeAll(keepingCapacity: true)
        }
        while let byte = bytes.next() {
            endedWithDot = false
            switch byte {
            case UInt8(ascii: "."):
                try closeLabel()
                endedWithDot = true
            case UInt8(ascii: "\\"):
                guard let first = bytes.next() else { throw .invalidName }
                if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) {
                    guard let second = bytes.next(), let third = bytes.next(),
                        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(second),
                        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(third)
                    else { throw .invalidName }
                    let value = Int(first - 48) * 100 + Int(second - 48) * 10 + Int(third - 48)
                    guard value <= 255 else { throw .invalidName }
                    label.append(UInt8(value))
                } else {
                    label.append(first)
                }
            default:
                label.append(byte)
            }
        }
        if !endedWithDot { try closeLabel() }
        wire.append(0)
        guard wire.count <= Self.maximumWireLength else { throw .nameTooLong(at: 0) }
        self.wire = wire
    }

    /// The name with ASCII letters lowercased, for case-insensitive matching on the wire.
    public var lowercased: DNSName {
        DNSName(uncheckedWire: wire.map { (65...90).contains($0) ? $0 | 0x20 : $0 })
    }

    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        guard lhs.wire.count == rhs.wire.count else { return false }
        for index in lhs.wire.indices where asciiLower(lhs.wire[index]) != asciiLower(rhs.wire[index]) {
            return false
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        for byte in wire { hasher.combine(Self.asciiLower(byte)) }
    }

    @inline(__always)
    static func asciiLower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte | 0x20 : byte }

    /// Presentation format with a trailing dot (`www.example.`); bytes outside printable ASCII and
    /// the special characters `.`, `\`, `"`, `;`, `(`, `)`, `@`, `$` are escaped (RFC 1035 §5.1).
    public var description: String {
        if wire.count <= 1 { return "." }
        var text = ""
        text.reserveCapacity(wire.count + 1)
        var index = 0
        while index < wire.count {
            let length = Int(wire[index])
            if length == 0 { break }
            let end = min(index + 1 + length, wire.count)
            for byte in wire[(index + 1)..<end] { Self.appendEscaped(byte, to: &text) }
            text.append(".")
            index = end
        }
        return text
    }

    static func appendEscaped(_ byte: UInt8, to text: inout String) {
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: ";"),
            UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "@"), UInt8(ascii: "$"):
            text.append("\\")
            text.unicodeScalars.append(Unicode.Scalar(byte))
        case 0x21...0x7E:
            text.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            text.append("\\")
            let value = Int(byte)
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 100)))
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value / 10 % 10)))
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value % 10)))
        }
    }
}
