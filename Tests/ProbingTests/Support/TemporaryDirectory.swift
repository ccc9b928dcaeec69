import Foundation
import Synchronization

/// Fresh directories for generated configuration, certificates, logs and served files.
enum TemporaryDirectory {
    /// Creates `ispwatch-<purpose>-<pid>-<uuid>` in the system's temporary directory; the caller
    /// removes it.
    static func create(_ purpose: String) throws(TestFixtureError) -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ispwatch-\(purpose)-\(getpid())-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TestFixtureError("cannot create \(directory.path): \(error)")
        }
        return directory
    }

    /// Runs `body` with a fresh directory and removes it afterwards, whether `body` throws or not.
    static func with<Result>(_ purpose: String, _ body: (URL) async throws -> Result) async throws -> Result {
        let directory = try create(purpose)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try await body(directory)
    }

    /// Creates a fresh directory that lives as long as the test process: for fixtures every test
    /// shares (the test certificates). It is removed when the process exits.
    static func createForProcess(_ purpose: String) throws(TestFixtureError) -> URL {
        let directory = try create(purpose)
        _ = removalAtExit
        removedAtExit.withLock { $0.append(directory) }
        return directory
    }

    private static let removedAtExit = Mutex<[URL]>([])

    /// Registers, once, the exit handler that removes the directories of `createForProcess`.
    private static let removalAtExit: Void = {
        atexit {
            for directory in TemporaryDirectory.removedAtExit.withLock({ $0 }) {
                try? FileManager.default.removeItem(at: directory)
            }
        }
    }()
}
