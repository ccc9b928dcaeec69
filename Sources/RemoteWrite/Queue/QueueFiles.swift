import Foundation

/// Every file system call of the queue, each checking errno into a ``QueueError``.
enum QueueFiles {
    /// open(2) for appending, creating the file when missing.
    static func openForAppend(_ path: String) throws(QueueError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw QueueError(call: "open", path: path) }
        return descriptor
    }

    /// write(2) until every byte is written.
    static func write(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws(QueueError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw QueueError(call: "write", path: path) }
            written += count
        }
    }

    /// fsync(2).
    static func sync(_ descriptor: Int32, path: String) throws(QueueError) {
        guard fsync(descriptor) == 0 else { throw QueueError(call: "fsync", path: path) }
    }

    /// close(2); errors are ignored (the data was written or synced before).
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }

    /// `count` bytes at `offset` of the file at `path` (open, pread(2), close).
    static func read(_ path: String, offset: Int, count: Int) throws(QueueError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw QueueError(call: "open", path: path) }
        defer { _ = Glibc.close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { throw QueueError(call: "pread", path: path) }
            done += got
        }
        return bytes
    }

    /// The whole file at `path`.
    static func readAll(_ path: String) throws(QueueError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw QueueError(call: "read", path: path) }
        return [UInt8](data)
    }

    /// truncate(2): cuts a torn tail.
    static func truncate(_ path: String, to length: Int) throws(QueueError) {
        guard Glibc.truncate(path, off_t(length)) == 0 else { throw QueueError(call: "truncate", path: path) }
    }

    /// unlink(2); a missing file is not an error.
    static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Writes `bytes` to `path` through a temporary file and rename(2), so a reader sees the old
    /// content or the new one, never half of it.
    static func replace(_ path: String, with bytes: [UInt8]) throws(QueueError) {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw QueueError(call: "open", path: temporary) }
        defer { _ = Glibc.close(descriptor) }
        try write(descriptor, bytes, path: temporary)
        guard rename(temporary, path) == 0 else { throw QueueError(call: "rename", path: path) }
    }

    /// mkdir -p.
    static func createDirectory(_ path: String) throws(QueueError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw QueueError(call: "mkdir", path: path)
        }
    }

    /// The names in `directory`.
    static func names(in directory: String) throws(QueueError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw QueueError(call: "readdir", path: directory)
        }
    }
}

/// A file system call of the queue failed.
public struct QueueError: Error, CustomStringConvertible {
    /// The call and the file, with errno's text.
    public let description: String

    init(call: String, path: String, errorNumber: Int32 = errno) {
        description = "\(call) \(path): \(String(cString: strerror(errorNumber)))"
    }

    init(_ description: String) {
        self.description = description
    }
}
