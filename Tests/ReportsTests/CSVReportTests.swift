import Reports
import SLAEngine
import Testing

@Suite struct CSVReportTests {
    private let report = CSVReport(result: SampleResult.result(), breakdown: SampleResult.breakdown())

    private func table(_ table: CSVTable) throws -> (header: [String], rows: [[String: String]]) {
        let records = try RFC4180Parser.parse(report.render(table))
        let header = try #require(records.first, "\(table) has no header row")
        for (index, record) in records.enumerated() {
            #expect(record.count == header.count, "\(table) row \(index) has \(record.count) fields, the header \(header.count)")
        }
        let rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        return (header, rows)
    }

    @Test(arguments: CSVTable.allCases)
    func everyTableParsesBackAsOneHeaderAndRectangularRows(_ name: CSVTable) throws {
        let (header, rows) = try table(name)
        #expect(Set(header).count == header.count, "duplicate column names in \(name)")
        let result = SampleResult.result()
        let expected = switch name {
        case .groups: result.groups.count
        case .objectives: result.objectives.count
        case .incidents: result.incidents.count
        case .maintenance: result.maintenance.count
        case .daily: SampleResult.breakdown().buckets.reduce(0) { $0 + $1.groups.count }
        case .vantages: result.vantages.count
        case .gaps: result.dataQuality.gaps.count + result.dataQuality.unhealthyPeriods.count
        case .stores: 0  // a report of one store has no inventory
        }
        #expect(rows.count == expected)
    }

    @Test func groupFieldsWithCommasAndQuotesComeBackUnchanged() throws {
        let (_, rows) = try table(.groups)
        let hostile = try #require(rows.first { $0["provider"] == SampleResult.hostileProvider })
        #expect(hostile["service"] == SampleResult.awkwardService)
        #expect(hostile["slices_down"] == "10")
        #expect(hostile["availability_raw"].flatMap(Double.init) == 2_860.0 / 2_870.0)
        #expect(hostile["downtime_seconds"] == "600")
        #expect(hostile["failure_reasons"] == "dns_timeout=10")
        #expect(hostile["latency_count"] == "3")
        let portal = try #require(rows.first { $0["provider"] == "vnpt" })
        #expect(portal["availability_adjusted"] == "1.0")
        #expect(portal["mttr_seconds"] == "", "an undefined figure is an empty cell")
    }

    @Test func theMaintenanceReasonKeepsItsLineBreakAndQuotes() throws {
        let (_, rows) = try table(.maintenance)
        #expect(rows.first?["reason"] == SampleResult.awkwardReason)
        #expect(rows.first?["declared_by"] == "noc <ops@example.vn>")
        #expect(rows.first?["late"] == "false")
    }

    @Test func theIncidentRegisterHasOneRowPerIncidentWithOpenOnesMarked() throws {
        let (_, rows) = try table(.incidents)
        #expect(rows.map { $0["id"] } == SampleResult.result().incidents.map(\.id))
        #expect(rows[0]["duration_seconds"] == "600")
        #expect(rows[0]["region"] == "hanoi, north")
        #expect(rows[0]["failure_counts"] == "dns_servfail=1 dns_timeout=12")
        #expect(rows[1]["open"] == "true")
        #expect(rows[1]["end"] == "")
    }

    @Test func theDailyTableSplitsTheDownSlicesByDay() throws {
        let (_, rows) = try table(.daily)
        let hostile = rows.filter { $0["provider"] == SampleResult.hostileProvider }
        #expect(hostile.map { $0["slices_down"] } == ["10", "0"])
        #expect(hostile.map { $0["start"] } == ["2027-01-31T17:00:00.000Z", "2027-02-01T17:00:00.000Z"])
    }
}
