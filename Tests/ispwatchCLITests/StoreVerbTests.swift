import Foundation
import SeriesStore
import Testing

struct StoreVerbTests {
    @Test func verifyExitsOneAndNamesTheFileAndBlockOfAFlippedByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let synth = try ISPWatchBinary.run(
            ["synth", "store", "--targets", "5", "--days", "1", "--interval", "30", "--start", "2027-02-03T00:00Z"],
            in: directory)
        #expect(synth.status == 0, "\(synth.standardError)")
        let healthy = try ISPWatchBinary.run(["store", "verify", "store"], in: directory)
        #expect(healthy.status == 0)
        #expect(healthy.standardOutput.contains("store: ok"))

        let sealed = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.file("store"))
            .first { $0.hasSuffix(".sealed") })
        let path = directory.file("store/" + sealed)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x10
        try bytes.write(to: URL(fileURLWithPath: path))

        let damaged = try ISPWatchBinary.run(["store", "verify", "store"], in: directory)
        #expect(damaged.status == 1)
        #expect(damaged.standardOutput.contains("store/\(sealed): block "), "\(damaged.standardOutput)")
        #expect(damaged.standardOutput.contains("offset "))
        #expect(damaged.standardError.contains("1 damage found"))

        let json = try ISPWatchBinary.run(["store", "verify", "store", "--json"], in: directory)
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        let damages = try #require(report?["damages"] as? [[String: Any]])
        #expect(report?["ok"] as? Bool == false)
        #expect(damages.count == 1 && (damages[0]["path"] as? String)?.hasSuffix(sealed) == true)
        #expect(damages[0]["block"] is Int)

        // Export stops at the damage, or skips it on request and says so.
        #expect(try ISPWatchBinary.run(["export", "store"], in: directory).status == 1)
        let skipping = try ISPWatchBinary.run(["export", "store", "--skip-damaged"], in: directory)
        #expect(skipping.status == 1)
        #expect(skipping.standardError.contains("skipped damage: store/\(sealed): block"))
        let rows = skipping.standardOutput.split(separator: "\n").count - 1
        #expect(rows > 10_000 && rows < 14_400)
    }

    @Test func statsCountsWhatSynthWrote() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        _ = try ISPWatchBinary.run(
            ["synth", "store", "--targets", "4", "--days", "0.5", "--interval", "60", "--start", "2027-02-03T00:00Z"],
            in: directory)
        let json = try ISPWatchBinary.run(["store", "stats", "store", "--json"], in: directory)
        #expect(json.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        #expect(report["series"] as? Int == 4)
        #expect(report["results"] as? Int == 4 * 720)
        #expect(report["sealed_results"] as? Int == 4 * 720)
        #expect((report["sealed_bytes_per_result"] as? Double ?? 0) > 0)
        let text = try ISPWatchBinary.run(["store", "stats", "store"], in: directory)
        #expect(text.standardOutput.contains("results          2,880 (sealed 2,880, active 0)"))
    }

    @Test(arguments: [
        ["synth", "s", "--targets", "0", "--days", "1", "--interval", "30"],
        ["synth", "s", "--targets", "5", "--days", "1", "--interval", "0"],
        ["synth", "s", "--targets", "5", "--days", "1"],
        ["export", "missing-store"],
        ["export", "missing-store", "--from", "yesterday"],
        ["export", "missing-store", "--from", "2027-02-03T00:00Z", "--to", "2027-02-02T00:00Z"],
        ["export", "missing-store", "--format", "xml"],
        ["import", "s", "missing.csv"],
        ["import", "s", "missing.csv", "--on-error", "ignore"],
        ["store", "verify", "missing-store"],
        ["store", "stats", "missing-store"],
        ["store", "stats"],
    ])
    func usageErrorsExitTwo(arguments: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let run = try ISPWatchBinary.run(arguments, in: directory)
        #expect(run.status == 2, "\(arguments): \(run.standardError)")
        #expect(!run.standardError.isEmpty && run.standardOutput.isEmpty)
    }

    @Test func synthRefusesAStoreThatAlreadyHoldsSeries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let arguments = ["synth", "store", "--targets", "2", "--days", "0.01", "--interval", "60"]
        #expect(try ISPWatchBinary.run(arguments, in: directory).status == 0)
        let again = try ISPWatchBinary.run(arguments, in: directory)
        #expect(again.status == 2)
        #expect(again.standardError.contains("already holds series"))
    }

    @Test func helpShowsARealExample() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for verb in [["export"], ["import"], ["synth"], ["store", "stats"], ["store", "verify"]] {
            let help = try ISPWatchBinary.run(verb + ["--help"], in: directory)
            #expect(help.status == 0)
            #expect(help.standardOutput.contains("$ ispwatch \(verb.joined(separator: " "))"), "\(verb)")
        }
    }
}
