/// Why a DNS message could not be decoded or encoded.
///
/// Decoding hostile input never traps: every bounds or sanity failure surfaces as one of these.
public struct DNSWireError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case truncated
        case labelTooLong
        case nameTooLong
        case badPointer
        case tooManyPointers
        case badRecordData
        case emptyLabel
        case invalidName
    }

    private let code: Code
    /// Where in the message the problem was found (byte offset), when known.
    public let offset: Int

    private init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// A read would go past the end of the message (or of a record's data).
    public static func truncated(at offset: Int) -> Self { Self(.truncated, at: offset) }
    /// A label is longer than 63 bytes.
    public static func labelTooLong(at offset: Int) -> Self { Self(.labelTooLong, at: offset) }
    /// A name is longer than 255 bytes in wire form.
    public static func nameTooLong(at offset: Int) -> Self { Self(.nameTooLong, at: offset) }
    /// A compression pointer does not point strictly backwards (a loop or a forward reference).
    public static func badPointer(at offset: Int) -> Self { Self(.badPointer, at: offset) }
    /// A name follows more compression pointers than any sane message needs.
    public static func tooManyPointers(at offset: Int) -> Self { Self(.tooManyPointers, at: offset) }
    /// A record's data does not fit its type (wrong length, trailing bytes).
    public static func badRecordData(at offset: Int) -> Self { Self(.badRecordData, at: offset) }
    /// A name in presentation format has an empty label (`a..b`).
    public static let emptyLabel = Self(.emptyLabel, at: 0)
    /// A name in presentation format cannot be encoded (bad escape).
    public static let invalidName = Self(.invalidName, at: 0)

    /// A short description with no offset, safe as a metric label.
    public var shortDescription: String {
        switch code {
        case .truncated: "truncated"
        case .labelTooLong: "label_too_long"
        case .nameTooLong: "name_too_long"
        case .badPointer: "bad_compression_pointer"
        case .tooManyPointers: "too_many_compression_pointers"
        case .badRecordData: "bad_record_data"
        case .emptyLabel: "empty_label"
        case .invalidName: "invalid_name"
        }
    }

    public var description: String { "\(shortDescription) at byte \(offset)" }
}
