import Foundation

/// Prometheus' own checker, `promtool check metrics`, run on an exposition.
enum Promtool {
    static let path = "/usr/bin/promtool"

    /// What promtool reports about `exposition`: empty when it finds no problem (lint included).
    ///
    /// - Throws: `TestFixtureError` when promtool is missing (run scripts/install-deps.sh) or fails
    ///   to run; its findings are returned, not thrown.
    static func problems(in exposition: [UInt8]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFixtureError("\(path) (Debian package prometheus) is missing: run scripts/install-deps.sh")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("livemetrics-promtool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("exposition.prom")
        let output = directory.appendingPathComponent("findings.txt")
        try Data(exposition).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        // Files rather than pipes: nothing to drain while it runs, whatever the sizes.
        process.standardInput = try FileHandle(forReadingFrom: input)
        let findings = try FileHandle(forWritingTo: output)
        process.standardOutput = findings
        process.standardError = findings
        try process.run()
        process.waitUntilExit()
        try findings.close()
        let report = try String(contentsOf: output, encoding: .utf8)
        if process.terminationStatus != 0 && report.isEmpty {
            return "promtool exited with status \(process.terminationStatus) and said nothing"
        }
        return report
    }
}
