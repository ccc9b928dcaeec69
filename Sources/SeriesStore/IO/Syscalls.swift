#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Every libc call of the store goes through `systemCall`, which retries EINTR and turns a failure
// into a typed `StoreError` naming the call and the file.

let ENOENT_VALUE: Int32 = ENOENT

func describeErrno(_ code: Int32) -> String {
    guard let message = strerror(code) else { return "errno \(code)" }
    return "\(String(cString: message)) (errno \(code))"
}

/// Runs `body` until it does not fail with EINTR; throws a `StoreError` when it returns -1.
@inline(__always)
func systemCall<Result: BinaryInteger>(
    _ name: StaticString, path: String?, _ body: () -> Result
) throws(StoreError) -> Result {
    while true {
        let result = body()
        if result != -1 { return result }
        let code = errno
        if code == EINTR { continue }
        throw StoreError.systemCall("\(name)", errno: code, path: path)
    }
}

/// Thin wrappers over the file-system calls that take paths rather than descriptors.
enum FileSystem {
    /// `mkdir(2)`; an existing directory is fine.
    static func createDirectory(_ path: String) throws(StoreError) {
        if mkdir(path, 0o755) == 0 { return }
        let code = errno
        if code == EEXIST { return }
        throw StoreError.systemCall("mkdir", errno: code, path: path)
    }

    /// `rename(2)`: atomically replaces `destination`.
    static func move(_ source: String, to destination: String) throws(StoreError) {
        _ = try systemCall("rename", path: source) { rename(source, destination) }
    }

    /// `unlink(2)`; a missing file is fine when `missingIsFine`.
    static func remove(_ path: String, missingIsFine: Bool = true) throws(StoreError) {
        if unlink(path) == 0 { return }
        let code = errno
        if code == ENOENT && missingIsFine { return }
        throw StoreError.systemCall("unlink", errno: code, path: path)
    }

    /// The names in a directory (`opendir(3)`/`readdir(3)`), without `.` and `..`.
    static func listDirectory(_ path: String) throws(StoreError) -> [String] {
        guard let directory = opendir(path) else {
            throw StoreError.systemCall("opendir", errno: errno, path: path)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `fsync(2)` on a directory, so that a rename or a new file in it survives power loss.
    static func syncDirectory(_ path: String) throws(StoreError) {
        let descriptor = try systemCall("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(descriptor) }
        _ = try systemCall("fsync", path: path) { fsync(descriptor) }
    }

    /// Whether `path` exists (`access(2)`).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
}
