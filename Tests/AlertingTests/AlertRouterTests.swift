import Alerting
import Testing
import WatchCore

@Suite struct AlertRouterTests {
    private func notification(provider: String, severity: AlertSeverity = .critical, at offset: Int = 0) -> AlertNotification {
        let at = simulationStart.advanced(by: .seconds(offset))
        return AlertNotification(
            key: AlertKey(alertName: "TargetDown", dedupKey: "\(provider)/dns/t/v4"), status: .firing, severity: severity,
            labels: ["provider": provider, "service": "dns"], annotations: [:], startsAt: simulationStart, createdAt: at)
    }

    @Test func theFirstMatchingRouteWinsUnlessItContinues() {
        var router = AlertRouter(routes: [
            AlertRoute(matchers: ["provider": "vnpt"], receiver: "vnpt-pager", continueMatching: true),
            AlertRoute(matchers: ["severity": "critical"], receiver: "noc"),
            AlertRoute(receiver: "everything-else"),
        ])
        let routed = router.route([
            notification(provider: "vnpt"), notification(provider: "viettel"), notification(provider: "fpt", severity: .warning),
        ])
        #expect(routed.map { "\($0.notification.labels["provider"]!)→\($0.receiver)" }
            == ["vnpt→vnpt-pager", "vnpt→noc", "viettel→noc", "fpt→everything-else"])
    }

    @Test func aFiringAlertIsForwardedAgainOnlyAfterTheRepeatIntervalAndItsResolveAlways() {
        var router = AlertRouter(routes: [
            AlertRoute(receiver: "pager", repeatInterval: .seconds(300), continueMatching: true),
            AlertRoute(receiver: "alertmanager"),
        ])
        let first = notification(provider: "vnpt", at: 0)
        #expect(router.route([first]).map(\.receiver) == ["pager", "alertmanager"])
        #expect(router.route([notification(provider: "vnpt", at: 60)]).map(\.receiver) == ["alertmanager"])
        #expect(router.route([notification(provider: "vnpt", at: 299)]).map(\.receiver) == ["alertmanager"])
        #expect(router.route([notification(provider: "vnpt", at: 300)]).map(\.receiver) == ["pager", "alertmanager"])
        #expect(router.route([first.resolved(at: simulationStart.advanced(by: .seconds(320)))]).map(\.receiver)
            == ["pager", "alertmanager"])
        // A new outage of the same alert is a new page at once.
        var again = notification(provider: "vnpt", at: 330)
        again.startsAt = simulationStart.advanced(by: .seconds(330))
        #expect(router.route([again]).map(\.receiver) == ["pager", "alertmanager"])
    }

    @Test func aNotificationMatchingNoRouteGoesNowhere() {
        var router = AlertRouter(routes: [AlertRoute(matchers: ["team": "platform"], receiver: "platform")])
        #expect(router.route([notification(provider: "vnpt")]).isEmpty)
    }
}
