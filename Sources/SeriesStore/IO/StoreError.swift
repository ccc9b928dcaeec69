/// A storage failure: a system call that failed, or bytes that are not a valid store file.
///
/// The `shortDescription` has no variable parts, so it is safe as a metric label.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case systemCall
        case corrupt
        case invalidArgument
        case closed
    }

    private let code: Code
    /// The file concerned, when there is one.
    public let path: String?
    /// What happened, for humans.
    public let detail: String
    /// The errno of a failed system call.
    public let errno: Int32?

    /// A system call failed.
    public static func systemCall(_ name: String, errno: Int32, path: String?) -> StoreError {
        StoreError(code: .systemCall, path: path, detail: "\(name) failed: \(describeErrno(errno))", errno: errno)
    }

    /// A file's bytes are not what the format says.
    public static func corrupt(_ detail: String, path: String?) -> StoreError {
        StoreError(code: .corrupt, path: path, detail: detail, errno: nil)
    }

    /// The caller passed something the store cannot accept.
    public static func invalidArgument(_ detail: String) -> StoreError {
        StoreError(code: .invalidArgument, path: nil, detail: detail, errno: nil)
    }

    /// The writer was used after `close()`.
    public static let closed = StoreError(code: .closed, path: nil, detail: "the store writer is closed", errno: nil)

    /// Whether this is a system call that failed with `ENOENT`.
    public var isFileNotFound: Bool { code == .systemCall && errno == ENOENT_VALUE }

    /// A label without variable parts: `system_call`, `corrupt`, `invalid_argument`, `closed`.
    public var shortDescription: String {
        switch code {
        case .systemCall: "system_call"
        case .corrupt: "corrupt"
        case .invalidArgument: "invalid_argument"
        case .closed: "closed"
        }
    }

    /// The file (when there is one) and what happened.
    public var description: String {
        if let path { return "\(path): \(detail)" }
        return detail
    }
}
