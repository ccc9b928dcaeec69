import WatchCore

/// One entry of the question section (RFC 1035 §4.1.2).
public struct DNSQuestion: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    /// The class; 1 is IN.
    public var recordClass: UInt16

    /// Creates a question, class IN by default.
    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = DNSClass.internet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }

    init(from reader: inout DNSWireReader) throws(DNSWireError) {
        name = try reader.readName()
        type = DNSRecordType(rawValue: try reader.readUInt16())
        recordClass = try reader.readUInt16()
    }

    func encode(into bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.wire)
        bytes.append(UInt8(type.rawValue >> 8))
        bytes.append(UInt8(type.rawValue & 0xFF))
        bytes.append(UInt8(recordClass >> 8))
        bytes.append(UInt8(recordClass & 0xFF))
    }
}

/// DNS classes (RFC 1035 §3.2.4) and their mnemonics.
public enum DNSClass {
    /// The Internet class.
    public static let internet: UInt16 = 1
    /// CHAOS.
    public static let chaos: UInt16 = 3
    /// Hesiod.
    public static let hesiod: UInt16 = 4

    /// `IN`, `CH`, `HS`, or the RFC 3597 form `CLASSnn`.
    public static func mnemonic(_ value: UInt16) -> String {
        switch value {
        case internet: "IN"
        case chaos: "CH"
        case hesiod: "HS"
        default: "CLASS\(value)"
        }
    }
}
