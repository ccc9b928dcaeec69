import WatchCore

/// The data of a resource record, decoded for the types a probe cares about.
public enum DNSRecordData: Sendable, Hashable {
    /// An IPv4 address (4 bytes).
    case a(IPv4Bytes)
    /// An IPv6 address (16 bytes).
    case aaaa(IPv6Bytes)
    case cname(DNSName)
    case ns(DNSName)
    case ptr(DNSName)
    case mx(preference: UInt16, exchange: DNSName)
    /// One or more character-strings (RFC 1035 §3.3.14).
    case txt([[UInt8]])
    case soa(DNSStartOfAuthority)
    /// Certification Authority Authorization (RFC 8659 §4.1).
    case caa(flags: UInt8, tag: [UInt8], value: [UInt8])
    /// The EDNS0 pseudo-record's options, undecoded (RFC 6891 §6.1.2).
    case opt([UInt8])
    /// A type this codec does not decode, kept as its raw bytes (RFC 3597).
    case unknown([UInt8])
}

/// The four bytes of an IPv4 address, in network order.
public struct IPv4Bytes: Sendable, Hashable {
    public var octets: (UInt8, UInt8, UInt8, UInt8)
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { octets = (a, b, c, d) }
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.octets.0 == rhs.octets.0 && lhs.octets.1 == rhs.octets.1 && lhs.octets.2 == rhs.octets.2
            && lhs.octets.3 == rhs.octets.3
    }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(octets.0)
        hasher.combine(octets.1)
        hasher.combine(octets.2)
        hasher.combine(octets.3)
    }
}

/// The sixteen bytes of an IPv6 address, in network order.
public struct IPv6Bytes: Sendable, Hashable {
    public var bytes: [UInt8]
    /// Wraps 16 bytes; the caller guarantees the count.
    init(unchecked bytes: [UInt8]) { self.bytes = bytes }
}

/// The fields of an SOA record (RFC 1035 §3.3.13).
public struct DNSStartOfAuthority: Sendable, Hashable {
    public var primaryServer: DNSName
    public var responsibleMailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32
}

extension DNSRecordData {
    /// Decodes the data of a record of `type` that spans `length` bytes at the reader's position.
    ///
    /// Names inside the data may be compressed (they may point anywhere earlier in the message);
    /// a record whose data does not consume exactly `length` bytes is malformed.
    static func decode(
        type: DNSRecordType, length: Int, from reader: inout DNSWireReader
    ) throws(DNSWireError) -> DNSRecordData {
        let start = reader.offset
        guard length <= reader.remaining else { throw .truncated(at: start) }
        let end = start + length
        let outerLimit = reader.limit
        reader.limit = end
        defer { reader.limit = outerLimit }
        let data: DNSRecordData
        switch type {
        case .a:
            guard length == 4 else { throw .badRecordData(at: start) }
            let bytes = try reader.readBytes(4)
            data = .a(IPv4Bytes(bytes[start], bytes[start + 1], bytes[start + 2], bytes[start + 3]))
        case .aaaa:
            guard length == 16 else { throw .badRecordData(at: start) }
            data = .aaaa(IPv6Bytes(unchecked: Array(try reader.readBytes(16))))
        case .cname:
            data = .cname(try reader.readName())
        case .ns:
            data = .ns(try reader.readName())
        case .ptr:
            data = .ptr(try reader.readName())
        case .mx:
            let preference = try reader.readUInt16()
            data = .mx(preference: preference, exchange: try reader.readName())
        case .txt:
            var strings: [[UInt8]] = []
            guard length > 0 else { throw .badRecordData(at: start) }
            while reader.offset < end {
                let count = Int(try reader.readUInt8())
                strings.append(Array(try reader.readBytes(count)))
            }
            data = .txt(strings)
        case .soa:
            let primary = try reader.readName()
            let mailbox = try reader.readName()
            data = .soa(
                DNSStartOfAuthority(
                    primaryServer: primary, responsibleMailbox: mailbox, serial: try reader.readUInt32(),
                    refresh: try reader.readUInt32(), retry: try reader.readUInt32(),
                    expire: try reader.readUInt32(), minimum: try reader.readUInt32()))
        case .caa:
            let flags = try reader.readUInt8()
            let tagLength = Int(try reader.readUInt8())
            guard tagLength >= 1 else { throw .badRecordData(at: start) }
            let tag = Array(try reader.readBytes(tagLength))
            data = .caa(flags: flags, tag: tag, value: Array(try reader.readBytes(end - reader.offset)))
        case .opt:
            data = .opt(Array(try reader.readBytes(length)))
        default:
            data = .unknown(Array(try reader.readBytes(length)))
        }
        guard reader.offset == end else { throw .badRecordData(at: start) }
        return data
    }
}
