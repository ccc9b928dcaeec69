import Foundation

/// Buffered line output to stdout or to a file. A file is written under a temporary name and renamed
/// into place by ``finish()``, so an export that fails half-way never leaves a file that looks whole.
final class LineOutput {
    private let handle: FileHandle
    private let temporaryPath: String?
    private let finalPath: String?
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    /// Writes to `path`, or to stdout when `nil` or `-`.
    init(path: String?) throws {
        if let path, path != "-" {
            let temporary = path + ".partial"
            guard FileManager.default.createFile(atPath: temporary, contents: nil),
                  let handle = FileHandle(forWritingAtPath: temporary)
            else { throw CommandFailure(message: "\(path): cannot create the output file", exitCode: 1) }
            self.handle = handle
            self.temporaryPath = temporary
            self.finalPath = path
        } else {
            self.handle = FileHandle.standardOutput
            self.temporaryPath = nil
            self.finalPath = nil
        }
        buffer.reserveCapacity(Self.flushThreshold + 4_096)
    }

    /// Appends the line `body` writes into the buffer, and a line break.
    func write(appending body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        buffer.append(10)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Appends `line` and a line break.
    func write(line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(10)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and, for a file, syncs it and moves it to its final name.
    func finish() throws {
        try flush()
        guard let temporaryPath, let finalPath else { return }
        try handle.synchronize()
        try handle.close()
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
    }

    /// Removes the temporary file of an output that did not finish.
    func abandon() {
        guard let temporaryPath else { return }
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }
}
