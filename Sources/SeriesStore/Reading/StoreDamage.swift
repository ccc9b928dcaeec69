/// One piece of damage found in a store file: which file, where, and what is wrong.
public struct StoreDamage: Sendable, Hashable, CustomStringConvertible {
    /// What part of a file is damaged.
    public enum Kind: String, Sendable, Hashable {
        /// The 32-byte file header (magic, version, CRC).
        case fileHeader = "file_header"
        /// A record frame of an active segment or of the series index (length or CRC), and all
        /// records after it.
        case recordFrame = "record_frame"
        /// A record whose frame is intact but whose content does not decode.
        case record = "record"
        /// A sealed block (header, payload CRC or content).
        case block = "block"
        /// A sealed file's trailer or block index.
        case blockIndex = "block_index"
        /// A file that could not be read at all.
        case unreadable = "unreadable"
    }

    /// The damaged file.
    public var path: String
    /// What is damaged.
    public var kind: Kind
    /// The block's number in its file (index order), for block damage.
    public var blockNumber: Int?
    /// The byte offset in the file where the damage starts.
    public var offset: Int
    /// What is wrong, for humans.
    public var detail: String

    /// Creates a damage report.
    public init(path: String, kind: Kind, blockNumber: Int? = nil, offset: Int, detail: String) {
        self.path = path
        self.kind = kind
        self.blockNumber = blockNumber
        self.offset = offset
        self.detail = detail
    }

    /// `path: block N offset O: kind: detail`.
    public var description: String {
        let block = blockNumber.map { " block \($0)" } ?? ""
        return "\(path):\(block) offset \(offset): \(kind.rawValue): \(detail)"
    }
}

/// What a reader does when it meets damage.
public enum CorruptionPolicy: Sendable, Hashable {
    /// Throw a `StoreError` naming the file, block and offset.
    case fail
    /// Record the damage in the scan report and carry on with the rest.
    case skip
}
