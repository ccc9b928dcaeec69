import Testing
@testable import WatchCore

struct ResultCSVTests {
    static let fullRow = ResultRow(
        startMillis: 1_801_612_800_123, scheduledMillis: 1_801_612_800_000, target: "viettel-dns-1", provider: "viettel",
        vantage: "hanoi-1", family: .v6, kind: .http, success: false, failure: .httpStatus, code: 503,
        latencyMicros: 4_294_967_295, phaseMicros: [1, 2, 3, 4, 5, 0, 7]
    )
    static let sparseRow = ResultRow(
        startMillis: -1, scheduledMillis: nil, target: "a,\"b\"", provider: "", vantage: "v", family: .v4,
        kind: nil, success: true, failure: nil, code: nil, latencyMicros: 0
    )

    @Test func headerIsTheDocumentedOneWithAPhaseColumnPerPhase() {
        #expect(ResultCSV.header == "time,scheduled,target,provider,vantage,ip_family,kind,success,reason,code,latency_us,"
            + "resolve_us,connect_us,tls_us,processing_us,transfer_us,request_us,rtt_us")
        #expect(ResultCSV.columns.count == 11 + Phase.allCases.count)
    }

    @Test func writesTimesInUTCWithMillisecondsAndEmptyFieldsForNone() {
        #expect(ResultCSV.line(Self.fullRow)
            == "2027-02-03T00:00:00.123Z,2027-02-03T00:00:00.000Z,viettel-dns-1,viettel,hanoi-1,v6,http,false,http_status,503,4294967295,1,2,3,4,5,0,7")
        #expect(ResultCSV.line(Self.sparseRow) == "1969-12-31T23:59:59.999Z,,\"a,\"\"b\"\"\",,v,v4,,true,,,0,,,,,,,")
    }

    @Test(arguments: [fullRow, sparseRow])
    func parsingAWrittenLineGivesTheRowBack(row: ResultRow) throws {
        #expect(try ResultCSV.parse(ResultCSV.line(row)[...]) == row)
        #expect(try ResultCSV.parse((ResultCSV.line(row) + "\r")[...]) == row)
    }

    @Test func truncatesTimesFinerThanAMillisecond() throws {
        let row = try ResultCSV.parse("2027-02-03T07:00:00.1239+07:00,,t,p,v,v4,dns,true,,0,1,,,,,,,")
        #expect(row.startMillis == 1_801_612_800_123)
    }

    @Test(arguments: [
        ("2027-02-03T00:00:00Z,,t,p,v,v4,dns,true,,0,1,,,,,,", nil as String?, "17 fields, expected 18"),
        (",,t,p,v,v4,dns,true,,0,1,,,,,,,", "time", "empty"),
        ("2027-02-03,,t,p,v,v4,dns,true,,0,1,,,,,,,", "time", "not an RFC 3339 time"),
        ("2027-02-03T00:00Z,x,t,p,v,v4,dns,true,,0,1,,,,,,,", "scheduled", "not an RFC 3339 time"),
        ("2027-02-03T00:00Z,,,p,v,v4,dns,true,,0,1,,,,,,,", "target", "empty"),
        ("2027-02-03T00:00Z,,t,p,,v4,dns,true,,0,1,,,,,,,", "vantage", "empty"),
        ("2027-02-03T00:00Z,,t,p,v,ipv4,dns,true,,0,1,,,,,,,", "ip_family", "not v4 or v6"),
        ("2027-02-03T00:00Z,,t,p,v,v4,smtp,true,,0,1,,,,,,,", "kind", "not one of"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,yes,,0,1,,,,,,,", "success", "not true or false"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,false,gremlins,0,1,,,,,,,", "reason", "not a known failure reason"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,true,dns_timeout,0,1,,,,,,,", "reason", "successful probe"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,true,,NOERROR,1,,,,,,,", "code", "not an integer"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,true,,0,,,,,,,,", "latency_us", "empty"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,true,,0,-1,,,,,,,", "latency_us", "not a whole number"),
        ("2027-02-03T00:00Z,,t,p,v,v4,dns,true,,0,1,,,,,,4294967296,", "request_us", "not a whole number"),
        ("2027-02-03T00:00Z,,\"t,p,v,v4,dns,true,,0,1,,,,,,,", nil, "does not close"),
        ("2027-02-03T00:00Z,,t\"x,p,v,v4,dns,true,,0,1,,,,,,,", nil, "quote inside"),
    ])
    func aBadRowNamesItsColumnAndWhatIsWrong(line: String, column: String?, message: String) {
        #expect {
            _ = try ResultCSV.parse(line[...])
        } throws: { error in
            guard let error = error as? ResultCSV.RowError else { return false }
            return error.column == column && error.message.contains(message)
        }
    }

    @Test func headerCheckNamesTheFirstColumnThatDiffers() throws {
        try ResultCSV.checkHeader(ResultCSV.header[...])
        try ResultCSV.checkHeader((ResultCSV.header + "\r")[...])
        let swapped = ResultCSV.header.replacing("target,provider", with: "provider,target")
        #expect(throws: ResultCSV.RowError.self) { try ResultCSV.checkHeader(swapped[...]) }
        do {
            try ResultCSV.checkHeader(swapped[...])
        } catch {
            #expect(error.message.contains("column 3 is \"provider\", expected \"target\""))
        }
        #expect(throws: ResultCSV.RowError.self) { try ResultCSV.checkHeader((ResultCSV.header + ",extra")[...]) }
        #expect(throws: ResultCSV.RowError.self) { try ResultCSV.checkHeader("time,scheduled") }
    }

    @Test func ndjsonHasTheCSVKeysWithNullForEmpty() {
        #expect(ResultNDJSON.line(Self.sparseRow) == """
            {"time":"1969-12-31T23:59:59.999Z","scheduled":null,"target":"a,\\"b\\"","provider":"","vantage":"v",\
            "ip_family":"v4","kind":null,"success":true,"reason":null,"code":null,"latency_us":0,"resolve_us":null,\
            "connect_us":null,"tls_us":null,"processing_us":null,"transfer_us":null,"request_us":null,"rtt_us":null}
            """)
        #expect(ResultNDJSON.line(Self.fullRow).contains("\"reason\":\"http_status\",\"code\":503,\"latency_us\":4294967295,\"resolve_us\":1,"))
    }

    @Test func byteFormattingMatchesTheStringForms() {
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let timestamp = Timestamp(millisecondsSinceEpoch: Int64.random(in: -5_000_000_000_000...5_000_000_000_000, using: &random))
            var bytes: [UInt8] = []
            ASCIIBytes.appendRFC3339(timestamp, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == timestamp.description)
        }
        for value in [Int64.min, -1, 0, 7, 10, 4_294_967_295, Int64.max] {
            var bytes: [UInt8] = []
            ASCIIBytes.append(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value))
        }
        var escaped: [UInt8] = []
        ResultNDJSON.appendString("a\"b\\c\n\u{1}é", to: &escaped)
        #expect(String(decoding: escaped, as: UTF8.self) == #""a\"b\\c\n\u0001é""#)
    }
}
