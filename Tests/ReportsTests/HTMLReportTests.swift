import Foundation
import Reports
import SLAEngine
import Testing
import WatchCore

@Suite struct HTMLReportTests {
    private let html = HTMLReport(
        result: SampleResult.result(), breakdown: SampleResult.breakdown(),
        methodology: Methodology(probeKinds: [.dns: 3, .http: 1], intervals: [.seconds(30)], timeouts: [.seconds(5)],
                                 vantages: ["hanoi-1", "hcm-1"]),
        providerNames: [SampleResult.hostileProvider: SampleResult.hostileProvider, "vnpt": "VNPT \"Vinaphone\" & co"]
    ).render()

    private func matches(_ pattern: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        return expression.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            String(html[Range($0.range, in: html)!])
        }
    }

    @Test func thePageFetchesNothingFromTheNetwork() throws {
        #expect(try matches(#"(src|href|action|poster|srcset)\s*=\s*["']?\s*(https?:)?//"#).isEmpty)
        #expect(try matches(#"url\(\s*["']?\s*(https?:)?//"#).isEmpty)
        #expect(try matches(#"@import"#).isEmpty)
        for tag in ["<script", "<link", "<img", "<iframe", "<object", "<embed", "<use"] {
            #expect(!html.lowercased().contains(tag), "the page holds \(tag)")
        }
        // The only URL is the SVG namespace, an identifier that is never fetched.
        #expect(Set(try matches(#"https?://[^"' >]*"#)) == ["http://www.w3.org/2000/svg"])
    }

    @Test func aProviderNamedLikeAScriptIsShownAsTextNotRun() throws {
        #expect(!html.contains(SampleResult.hostileProvider))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains(SampleResult.awkwardService))
        #expect(html.contains("dns, &quot;primary&quot;"))
        #expect(html.contains("VNPT &quot;Vinaphone&quot; &amp; co (vnpt)"))
        #expect(html.contains("noc &lt;ops@example.vn&gt;"))
        #expect(try matches(#"<script"#).isEmpty)
    }

    @Test func theMethodologyBoxStatesHowTheFiguresWereMeasured() throws {
        let box = try #require(try matches(#"<section class="box" id="methodology">[\s\S]*?</section>"#).first)
        for fact in ["DNS (3), HTTP (1)", "every 30s", "<dd>5s</dd>", "hanoi-1, hcm-1", "≥ 50% of its probes failed",
                     "at least 2 healthy vantages", "after 3 consecutive DOWN slices", "after 5 consecutive UP slices",
                     "declared at least 1d before", "UNKNOWN: neither up nor down"] {
            #expect(box.contains(fact), "the methodology box lacks \(fact)")
        }
    }

    @Test func theReferenceBoxGivesQCVN34AndSaysTheFiguresAreNotTheLegalStatistic() throws {
        let box = try #require(try matches(#"<section class="box statement" id="reference">[\s\S]*?</section>"#).first)
        #expect(box.contains("QCVN 34:2019/BTTTT"))
        #expect(box.contains("availability ≥ 99.5%"))
        #expect(box.contains("mean latency ≤ 50.0ms"))
        #expect(box.contains("Probe-based availability is an independent measurement, not the provider&#39;s legal statistic"))
    }

    @Test func theSummaryCarriesTheExactAchievedFigureOfEveryGroupAndTheVerdict() throws {
        let result = SampleResult.result()
        let values = try matches(#"class="num achieved" data-value="[^"]*""#).map {
            String($0.split(separator: "\"")[3])
        }
        let expected = result.objectives.map { "\($0.availability.adjusted!)" } + result.groups.map { "\($0.availability.adjusted!)" }
        #expect(values.sorted() == expected.sorted())
        #expect(html.contains("<td class=\"verdict PASS\">PASS</td>"))
        #expect(html.contains("99.652%"), "2,860 / 2,870 to three decimals")
    }

    @Test func eachProviderHasAvailabilityBarsPerDayALatencyChartAndThereIsOneTimeline() throws {
        #expect(try matches(#"<svg class="chart""#).count == 2 * 2 + 1)
        let bars = try matches(#"<rect [^>]*class="bar (ok|low|nodata)""#)
        #expect(bars.count == 2 * 2)
        #expect(try matches(#"class="bar low""#).count == 1, "only the first day of the provider with downtime misses 99.5%")
        #expect(try matches(#"<polyline [^>]*class="line p95""#).count == 2)
        #expect(try matches(#"<rect [^>]*class="incident( open| flapping)?""#).count == 2)
        #expect(try matches(#"<rect [^>]*class="maint""#).count == 1)
    }

    @Test func theRegistersAndDataQualityAreListed() throws {
        #expect(html.contains("Incident register (2)"))
        #expect(html.contains("evil-dns-1/v4/x100"))
        #expect(html.contains("Maintenance log (1)"))
        #expect(html.contains("no: downtime excused"))
        #expect(html.contains("router swap, &quot;core&quot;"))
        #expect(html.contains("vnpt-portal-1/hcm-1/v4") || html.contains("vnpt-portal-1"))
        #expect(html.contains("<h3>Unhealthy vantages</h3>"))
        #expect(html.contains("<h3>Gaps</h3>"))
    }
}

@Suite struct IncidentTimelineTests {
    @Test func withMoreTargetsThanRowsTheOnesWithTheMostIncidentTimeAreDrawn() throws {
        var result = SampleResult.result()
        // 45 targets, target-i down for i + 1 minutes: the 5 shortest are left to the register.
        result.incidents = (0..<45).map { index in
            SampleResult.incident(target: "target-\(index)", provider: "vnpt", service: "dns", startMinute: Int64(index * 20),
                                  minutes: Int64(index + 1))
        }
        let html = HTMLReport(result: result, methodology: Methodology(targets: [], vantages: [])).render()
        let drawn = (0..<45).filter { html.contains(">target-\($0)/v4</text>") }
        #expect(drawn == Array(5..<45))
        #expect(html.contains("5 more with incidents are in the register below"))
        #expect(html.contains("Incident register (45)"))
        #expect((0..<45).allSatisfy { html.contains("<td>target-\($0)/v4/x\($0 * 20)</td>") })
    }
}
