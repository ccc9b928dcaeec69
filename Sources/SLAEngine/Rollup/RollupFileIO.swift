#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a rollup file could not be read or written (the caller falls back to the raw results).
struct RollupIOError: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
    static func system(_ call: String, _ path: String) -> RollupIOError {
        RollupIOError("\(call) \(path): \(String(cString: strerror(errno)))")
    }
}

/// The few file calls rollups need: positional reads of parts of a file, and an atomic replace.
struct RollupFileIO: ~Copyable {
    let descriptor: Int32
    let path: String
    let size: Int

    /// Opens `path` for reading; `nil` when it does not exist.
    init?(reading path: String) throws(RollupIOError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .system("open", path)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw .system("fstat", path)
        }
        self.descriptor = descriptor
        self.path = path
        self.size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// `count` bytes at `offset` (pread, repeated until done).
    func read(offset: Int, count: Int) throws(RollupIOError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw RollupIOError("\(path): read of \(count) bytes at \(offset) past the end (\(size))")
        }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        let failed = bytes.withUnsafeMutableBytes { buffer -> Bool in
            while done < count {
                let got = pread(descriptor, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if got < 0, errno == EINTR { continue }
                guard got > 0 else { return true }
                done += got
            }
            return false
        }
        if failed { throw .system("pread", path) }
        return bytes
    }

    /// Writes `bytes` to `path` through a temporary file and a rename, so readers see all or nothing.
    static func replace(_ path: String, with bytes: [UInt8]) throws(RollupIOError) {
        let temporary = path + ".tmp.\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("open", temporary) }
        var written = 0
        let failed = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let put = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if put < 0, errno == EINTR { continue }
                guard put > 0 else { return true }
                written += put
            }
            return false
        }
        // A rollup can always be rebuilt from its sealed segment: no fsync, a crash leaves at worst
        // a torn file that its CRCs reject.
        close(descriptor)
        if failed {
            unlink(temporary)
            throw .system("write", temporary)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .system("rename", path)
        }
    }
}
