import Foundation

/// Reads a text file line by line in 1 MiB chunks, so that importing a file of any size needs
/// memory for one chunk only. Lines end at `\n`; a final line without one is still a line.
struct LineInput {
    private let handle: FileHandle
    private var pending: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Bytes consumed so far (for progress).
    private(set) var bytesRead = 0

    /// Opens `path` for reading.
    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure(message: "\(path): cannot open the file", exitCode: 2)
        }
        self.handle = handle
    }

    /// The next line without its line break, or `nil` at the end of the file.
    mutating func nextLine() throws -> Substring? {
        while true {
            if let newline = pending[start...].firstIndex(of: 10) {
                let line = String(decoding: pending[start..<newline], as: UTF8.self)
                start = newline + 1
                return line[...]
            }
            if atEnd {
                guard start < pending.count else { return nil }
                let line = String(decoding: pending[start...], as: UTF8.self)
                start = pending.count
                return line[...]
            }
            pending.removeFirst(start)
            start = 0
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            bytesRead += chunk.count
            if chunk.isEmpty { atEnd = true } else { pending.append(contentsOf: chunk) }
        }
    }
}
