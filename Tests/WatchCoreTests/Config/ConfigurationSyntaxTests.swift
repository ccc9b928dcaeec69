import Testing
import WatchCore

struct ConfigurationSyntaxTests {
    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("30s", .seconds(30)), ("1m30s", .seconds(90)), ("2h", .seconds(7200)),
        ("1d", .seconds(86_400)), ("1h2m3s4ms", .milliseconds(3_723_004)), ("0", .zero), ("250us", .microseconds(250)),
    ])
    func prometheusDurationsParse(text: String, expected: Duration) {
        #expect(DurationSyntax.parse(text) == expected)
    }

    @Test(arguments: ["", "30", "1.5s", "s", "30s1m", "1m1m", "-5s", "5 s", "5sec", "1h 30m"])
    func malformedDurationsAreRefused(text: String) {
        #expect(DurationSyntax.parse(text) == nil)
    }

    @Test func durationsFormatLargestUnitFirst() {
        #expect(DurationSyntax.format(.seconds(90)) == "1m30s")
        #expect(DurationSyntax.format(.milliseconds(1900)) == "1s900ms")
        #expect(DurationSyntax.format(.zero) == "0s")
    }

    @Test(arguments: [("4096", 4096), ("512KiB", 524_288), ("1MiB", 1_048_576), ("2GiB", 2_147_483_648),
                      ("10kB", 10_000), ("3MB", 3_000_000), ("100B", 100)])
    func sizesParse(text: String, expected: Int) {
        #expect(ByteSizeSyntax.parse(text) == expected)
    }

    @Test(arguments: ["", "1.5MiB", "1mib", "MiB", "1 megabyte", "-1"])
    func malformedSizesAreRefused(text: String) {
        #expect(ByteSizeSyntax.parse(text) == nil)
    }

    @Test(arguments: [
        ("203.113.131.1", HostSyntax?.some(.ipv4)), ("2001:db8::1", .ipv6), ("::1", .ipv6), ("::", .ipv6),
        ("2001:db8:0:0:0:0:0:1", .ipv6), ("::ffff:192.0.2.1", .ipv6), ("dns.viettel.vn", .hostName),
        ("localhost", .hostName), ("vnpt.vn.", .hostName), ("256.1.1.1", nil), ("1.2.3", .none), ("01.2.3.4", nil),
        ("2001:db8::1::2", nil), ("1:2:3:4:5:6:7:8:9", nil), ("bad host", nil), ("-bad.vn", nil), ("12345", nil),
        ("1.2.3.4:53", nil),
    ])
    func hostsAreClassified(text: String, expected: HostSyntax?) {
        #expect(HostSyntax.classify(text) == expected)
    }
}
