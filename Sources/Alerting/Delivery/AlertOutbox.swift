#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One notification waiting in the outbox.
public struct OutboxEntry: Sendable, Hashable {
    /// Its place in the order of writing (file name), increasing across restarts.
    public var sequence: UInt64
    /// The notification.
    public var notification: AlertNotification
}

/// A directory of notifications not yet accepted by the receiver: one file each, written to a
/// temporary name, fsynced, renamed into place and the directory fsynced before ``append(_:)``
/// returns, so a notification survives SIGKILL and power loss once appended; removed only after the
/// receiver accepted it.
///
/// A newer notification of the same alert (same ``AlertKey``) supersedes an older pending one: the
/// receiver needs only the latest state, and the outbox stays as small as the set of alerts. On
/// opening, leftover temporary files are removed, superseded files left by a crash are removed, and
/// damaged files are renamed `*.damaged` and listed in ``damaged`` rather than stopping the daemon.
///
/// Files are small and notifications rare (a few per slice), so the synchronous writes are short.
public struct AlertOutbox: Sendable {
    /// The directory.
    public let directory: String
    /// Files found damaged when opening (path and reason), renamed `*.damaged`.
    public private(set) var damaged: [String] = []
    private var entries: [AlertKey: OutboxEntry] = [:]
    private var nextSequence: UInt64 = 1

    /// Opens (creating it if needed) the outbox in `directory` and loads what it holds.
    public init(directory: String) throws(OutboxError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutboxError("cannot create \(directory): \(error)")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw OutboxError("cannot list \(directory): \(error)")
        }
        var loaded: [OutboxEntry] = []
        for name in names.sorted() {
            let path = directory + "/" + name
            if name.hasPrefix(".tmp-") {
                // Never renamed into place: its append did not return, nobody was promised it.
                unlink(path)
                continue
            }
            guard name.hasSuffix(".alert"), let sequence = UInt64(name.dropLast(6)) else { continue }
            nextSequence = Swift.max(nextSequence, sequence + 1)
            guard let data = FileManager.default.contents(atPath: path) else {
                damaged.append("\(path): unreadable")
                continue
            }
            switch OutboxFile.decode([UInt8](data)) {
            case .success(let notification):
                loaded.append(OutboxEntry(sequence: sequence, notification: notification))
            case .failure(let error):
                damaged.append("\(path): \(error)")
                rename(path, path + ".damaged")
            }
        }
        for entry in loaded {
            if let kept = entries[entry.notification.key] {
                let older = kept.sequence < entry.sequence ? kept : entry
                unlink(path(of: older.sequence))
                entries[entry.notification.key] = kept.sequence < entry.sequence ? entry : kept
            } else {
                entries[entry.notification.key] = entry
            }
        }
    }

    /// The pending notifications, oldest first.
    public var pending: [OutboxEntry] {
        entries.values.sorted { $0.sequence < $1.sequence }
    }

    /// Writes `notification` durably and removes the pending one of the same alert it supersedes.
    @discardableResult
    public mutating func append(_ notification: AlertNotification) throws(OutboxError) -> OutboxEntry {
        let entry = OutboxEntry(sequence: nextSequence, notification: notification)
        nextSequence += 1
        let bytes: [UInt8]
        do { bytes = try OutboxFile.encode(entry) } catch { throw OutboxError("cannot encode \(notification.key): \(error)") }
        let temporary = directory + "/.tmp-\(entry.sequence)"
        try writeSynced(bytes, to: temporary)
        guard rename(temporary, path(of: entry.sequence)) == 0 else {
            let code = errno
            unlink(temporary)
            throw OutboxError("rename \(temporary): errno \(code)")
        }
        try syncDirectory()
        if let superseded = entries[notification.key] { unlink(path(of: superseded.sequence)) }
        entries[notification.key] = entry
        return entry
    }

    /// Removes the entry `sequence` (accepted or refused by the receiver); a no-op when a newer
    /// notification already superseded it.
    public mutating func remove(sequence: UInt64) {
        guard let (key, _) = entries.first(where: { $0.value.sequence == sequence }) else { return }
        entries[key] = nil
        unlink(path(of: sequence))
    }

    /// Whether `sequence` is still pending.
    public func contains(sequence: UInt64) -> Bool {
        entries.values.contains { $0.sequence == sequence }
    }

    private func path(of sequence: UInt64) -> String {
        let digits = String(sequence)
        return directory + "/" + String(repeating: "0", count: Swift.max(0, 20 - digits.count)) + digits + ".alert"
    }

    /// open(2), write(2) until done, fsync(2), close(2).
    private func writeSynced(_ bytes: [UInt8], to path: String) throws(OutboxError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OutboxError("open \(path): errno \(errno)") }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                throw OutboxError("write \(path): errno \(errno)")
            }
            written += result
        }
        guard fsync(descriptor) == 0 else { throw OutboxError("fsync \(path): errno \(errno)") }
    }

    /// fsync(2) on the directory, so the rename itself is durable.
    private func syncDirectory() throws(OutboxError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw OutboxError("open \(directory): errno \(errno)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw OutboxError("fsync \(directory): errno \(errno)") }
    }
}
