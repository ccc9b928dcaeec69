import WatchCore

/// One resource record of the answer, authority or additional section (RFC 1035 §4.1.3).
public struct DNSResourceRecord: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    /// The class; for OPT this field carries the sender's UDP payload size instead.
    public var recordClass: UInt16
    /// The time to live; for OPT this field carries the extended rcode, version and flags.
    public var ttl: UInt32
    public var data: DNSRecordData

    /// Creates a record.
    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = DNSClass.internet, ttl: UInt32,
                data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    init(from reader: inout DNSWireReader) throws(DNSWireError) {
        name = try reader.readName()
        type = DNSRecordType(rawValue: try reader.readUInt16())
        recordClass = try reader.readUInt16()
        ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        data = try DNSRecordData.decode(type: type, length: length, from: &reader)
    }
}
