import Foundation

extension AlertOutbox {
    /// The notifications pending in `directory`, oldest first, read without changing anything: no
    /// cleanup of temporary, superseded or damaged files, so it is safe while `ispwatch run` writes
    /// there. A superseded file a crash left behind is listed too (the newer one wins on opening).
    /// Files that cannot be read are returned in `unreadable` with the reason.
    public static func listing(directory: String) -> (pending: [OutboxEntry], unreadable: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return ([], []) }
        var pending: [OutboxEntry] = []
        var unreadable: [String] = []
        for name in names.sorted() where name.hasSuffix(".alert") {
            guard let sequence = UInt64(name.dropLast(6)) else { continue }
            let path = directory + "/" + name
            // Removed (delivered) between the listing and the read: not pending any more.
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            switch OutboxFile.decode([UInt8](data)) {
            case .success(let notification): pending.append(OutboxEntry(sequence: sequence, notification: notification))
            case .failure(let error): unreadable.append("\(path): \(error)")
            }
        }
        return (pending, unreadable)
    }
}
