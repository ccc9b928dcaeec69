import Alerting
import Testing
import WatchCore

@Suite struct ConfigurationReloadTests {
    @Test func aReloadThatAddsTargetsChangesTheProviderSizeTheOutageRuleCounts() {
        let first = dnsTarget("vnpt-dns-1"), second = dnsTarget("vnpt-dns-2")
        let targets = (3...4).map { dnsTarget("vnpt-dns-\($0)") }
        // Two of two targets down is a provider-wide outage …
        var before = EngineHarness(targets: [first, second])
        for _ in 0..<4 { before.slice([first: ["hanoi-1": false], second: ["hanoi-1": false]]) }
        #expect(before.paged("ProviderOutage").count == 1)
        // … but not once a reload says the provider has five targets (two of five is below 50 %).
        var after = EngineHarness(targets: [first, second])
        after.sent += after.engine.handle(.configurationChanged(targets: [first, second] + targets + [dnsTarget("vnpt-dns-5")], maintenance: []))
        for _ in 0..<4 { after.slice([first: ["hanoi-1": false], second: ["hanoi-1": false]]) }
        #expect(after.paged("ProviderOutage").isEmpty)
        #expect(after.paged("TargetDown").count == 2)
    }
}
