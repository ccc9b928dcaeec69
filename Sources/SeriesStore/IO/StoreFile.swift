#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file of the store: a typed wrapper over a descriptor whose every call goes through the
/// errno-checking `systemCall` funnel. The descriptor is closed when the last reference goes.
/// Positional reads and writes (`pread`/`pwrite`) keep no shared offset, so concurrent readers are fine.
final class StoreFile: Sendable {
    /// How to open a file.
    enum Mode {
        case readOnly
        /// Read and write; create it when missing.
        case readWriteCreate
        /// Write only; create it, failing when it exists.
        case createNew
    }

    let descriptor: Int32
    let path: String

    /// Opens `path` (`open(2)`).
    init(path: String, mode: Mode) throws(StoreError) {
        let flags: Int32 = switch mode {
        case .readOnly: O_RDONLY
        case .readWriteCreate: O_RDWR | O_CREAT
        case .createNew: O_WRONLY | O_CREAT | O_EXCL
        }
        self.descriptor = try systemCall("open", path: path) { open(path, flags | O_CLOEXEC, 0o644) }
        self.path = path
    }

    deinit { close(descriptor) }

    /// The file's size in bytes (`fstat(2)`).
    func size() throws(StoreError) -> Int {
        var status = stat()
        _ = try systemCall("fstat", path: path) { fstat(descriptor, &status) }
        return Int(status.st_size)
    }

    /// Writes all of `bytes` at `offset` (`pwrite(2)`, repeated on short writes).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(StoreError) {
        var written = 0
        while written < bytes.count {
            let count = try systemCall("pwrite", path: path) {
                pwrite(descriptor, bytes.baseAddress! + written, bytes.count - written, off_t(offset + written))
            }
            written += count
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int) throws(StoreError) {
        try bytes.withRawBytes { (buffer) throws(StoreError) in try write(buffer, at: offset) }
    }

    /// Reads up to `count` bytes at `offset` (`pread(2)`, repeated on short reads); fewer at end of file.
    func read(count: Int, at offset: Int) throws(StoreError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let total = try bytes.withMutableRawBytes { (buffer) throws(StoreError) -> Int in
            var total = 0
            while total < count {
                let got = try systemCall("pread", path: path) {
                    pread(descriptor, buffer.baseAddress! + total, count - total, off_t(offset + total))
                }
                if got == 0 { break }
                total += got
            }
            return total
        }
        if total < count { bytes.removeLast(count - total) }
        return bytes
    }

    /// Reads the whole file into `bytes`, reusing its storage (no fresh pages to fault in when the
    /// previous file was as large).
    func readAll(into bytes: inout [UInt8]) throws(StoreError) {
        let size = try size()
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: size))
        let total = try bytes.withMutableRawBytes { (buffer) throws(StoreError) -> Int in
            var total = 0
            while total < size {
                let got = try systemCall("pread", path: path) {
                    pread(descriptor, buffer.baseAddress! + total, size - total, off_t(total))
                }
                if got == 0 { break }
                total += got
            }
            return total
        }
        if total < size { bytes.removeLast(size - total) }
    }

    /// Reads the whole file.
    func readAll() throws(StoreError) -> [UInt8] {
        try read(count: try size(), at: 0)
    }

    /// Makes written data durable (`fsync(2)`).
    func sync() throws(StoreError) {
        _ = try systemCall("fsync", path: path) { fsync(descriptor) }
    }

    /// Cuts the file to `length` bytes (`ftruncate(2)`).
    func truncate(to length: Int) throws(StoreError) {
        _ = try systemCall("ftruncate", path: path) { ftruncate(descriptor, off_t(length)) }
    }
}
