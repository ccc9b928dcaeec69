import Foundation
import Testing
import WatchCore
@testable import SeriesStore

@Suite struct CrashTests {
    /// The crash-writer executable, built next to the test binary (the test target depends on it).
    private func crashWriterPath() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("store-crash-writer").path }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("store-crash-writer not found next to the test binary (\(candidates)); run `swift build --build-tests`")
            throw CancellationError()
        }
        return path
    }

    /// Runs the writer, lets it flush for a random time, kills it with SIGKILL, and returns the
    /// largest flushed count it reported.
    private func runAndKill(_ executable: String, directory: String, seed: UInt64, afterMicroseconds delay: UInt32) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [directory, String(seed)]
        let output = Pipe()
        process.standardOutput = output
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        usleep(delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(errorText.isEmpty, "writer stderr: \(errorText)")
        #expect(process.terminationReason == .uncaughtSignal, "the writer exited by itself: \(errorText)")
        // Only whole lines count: a line cut by the kill was not reported.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        return lines.compactMap { line in line.hasPrefix("flushed ") ? Int(line.dropFirst(8)) : nil }.max() ?? -1
    }

    @Test func everyFlushedResultSurvivesAHundredSIGKILLs() throws {
        let executable = try crashWriterPath()
        var random = SplitMix64(seed: 2026)
        var kills = 0
        var totalDropped = 0
        // Ten stores, each killed ten times: recovery, continued appends and sealing after recovery.
        for store in 0..<10 {
            let directory = TemporaryDirectory("crash\(store)")
            defer { directory.remove() }
            var previouslyFlushed = 0
            for _ in 0..<10 {
                let delay = UInt32(20_000 + random.next() % 250_000)
                let flushed = try runAndKill(executable, directory: directory.path, seed: random.next(), afterMicroseconds: delay)
                kills += 1

                // Reopen as a writer would after the crash: cut the torn tail, seal what was queued.
                let writer = try StoreWriter(directory: directory.path, options: testOptions())
                totalDropped += writer.recovery.droppedBytes
                try writer.sealPendingSegments()
                try writer.close()

                let reader = try StoreReader(directory: directory.path)
                let ids = (0..<NumberedResults.seriesCount).map { index in
                    reader.series.values.first { $0.key.target == TargetID("crash-\(index)") }!.id
                }
                let stored = try reader.results()
                #expect(stored.count >= flushed, "lost flushed results: \(stored.count) < \(flushed)")
                #expect(stored.count >= previouslyFlushed)
                let expected = (0..<stored.count).map { NumberedResults.result(at: $0, seed: 7, seriesIDs: ids) }
                #expect(bySeries(stored) == bySeries(expected), "stored results differ from what was written")
                #expect(try SeriesStore.verify(directory: directory.path).isEmpty)
                previouslyFlushed = stored.count
            }
        }
        #expect(kills >= 100)
        print("crash test: \(kills) kills, \(totalDropped) torn-tail bytes cut in total")
    }
}
