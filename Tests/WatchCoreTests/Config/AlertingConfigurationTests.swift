import Testing
import WatchCore

private let badAlertingConfigurations: [BadConfiguration] = [
    BadConfiguration(
        name: "misspelled alerting key", yaml: "alerting:\n  receiver: []\n", at: "2:3", field: "alerting.receiver",
        says: "did you mean \"receivers\"?"),
    BadConfiguration(
        name: "misspelled rule setting",
        yaml: "alerting:\n  rules: {down_slice: 2}\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:9093}}]\n",
        at: "2:11", field: "alerting.rules.down_slice", says: "did you mean \"down_slices\"?"),
    BadConfiguration(
        name: "K out of range",
        yaml: "alerting:\n  rules:\n    down_slices: 0\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:9093}}]\n",
        at: "3:18", field: "alerting.rules.down_slices", says: "expected a number from 1 to 10000"),
    BadConfiguration(
        name: "resend interval Alertmanager would expire",
        yaml: "alerting:\n  rules: {resend_interval: 5m}\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:9093}}]\n",
        at: "2:28", field: "alerting.rules.resend_interval", says: "shorter than 4m"),
    BadConfiguration(
        name: "receiver without a kind", yaml: "alerting:\n  receivers:\n    - name: am\n", at: "3:7",
        field: "alerting.receivers[0]", says: "one of alertmanager, webhook or pagerduty"),
    BadConfiguration(
        name: "receiver URL without a scheme",
        yaml: "alerting:\n  receivers:\n    - name: am\n      alertmanager: {url: 127.0.0.1:9093}\n",
        at: "4:27", field: "alerting.receivers[0].alertmanager.url", says: "is not an http:// or https:// URL"),
    BadConfiguration(
        name: "pagerduty without a routing key",
        yaml: "alerting:\n  receivers:\n    - name: pd\n      pagerduty: {url: http://127.0.0.1:1/v2/enqueue}\n",
        at: "4:18", field: "alerting.receivers[0].pagerduty.routing_key", says: "missing required key \"routing_key\""),
    BadConfiguration(
        name: "two receivers with one name",
        yaml: "alerting:\n  receivers:\n    - {name: am, alertmanager: {url: http://127.0.0.1:1}}\n    - {name: am, webhook: {url: http://127.0.0.1:2}}\n",
        at: "4:7", field: "alerting.receivers[1]", says: "receiver \"am\" is listed twice"),
    BadConfiguration(
        name: "route to an unknown receiver",
        yaml: "alerting:\n  receivers: [{name: noc-pager, webhook: {url: http://127.0.0.1:1}}]\n  routes:\n    - {receiver: noc-pagr}\n",
        at: "4:18", field: "alerting.routes[0].receiver", says: "did you mean \"noc-pager\"?"),
    BadConfiguration(
        name: "route with a bad label name",
        yaml: "alerting:\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:1}}]\n  routes:\n    - {match: {9x: a}, receiver: am}\n",
        at: "4:16", field: "alerting.routes[0].match.9x", says: "is not a valid label name"),
    BadConfiguration(
        name: "repeat interval without a unit",
        yaml: "alerting:\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:1}}]\n  routes:\n    - {receiver: am, repeat_interval: 60}\n",
        at: "4:39", field: "alerting.routes[0].repeat_interval", says: "write 60s"),
]

struct AlertingConfigurationTests {
    @Test(arguments: badAlertingConfigurations)
    func badAlertingIsReportedAtItsLineWithTheField(_ bad: BadConfiguration) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load(yaml: bad.yaml, path: "bad.yaml")
        }
        let issue = try #require(error.issues.first, "no issue for \(bad.name)")
        #expect("\(issue.location.line):\(issue.location.column)" == bad.at, "\(error)")
        #expect(issue.location.file == "bad.yaml")
        #expect(issue.field == bad.field, "\(error)")
        #expect(issue.message.contains(bad.says), "\(error)")
    }

    @Test func aFullAlertingSectionIsDecoded() throws {
        let configuration = try Configuration.load(yaml: """
            alerting:
              rules:
                slice: 2s
                close_delay: 500ms
                down_slices: 2
                up_slices: 3
                down_share: 0.4
                quorum: 1
                provider_outage_share: 0.75
                vantage_unhealthy_for: 30s
                resend_interval: 20s
              receivers:
                - name: am
                  alertmanager: {url: "http://127.0.0.1:9093"}
                - name: bridge
                  webhook: {url: "http://127.0.0.1:8080/hook"}
                - name: pd
                  pagerduty: {routing_key: 0123456789abcdef0123456789abcdef, url: "http://127.0.0.1:9/v2/enqueue"}
              routes:
                - match: {team: platform}
                  receiver: pd
                  repeat_interval: 4h
                  continue: true
                - receiver: am
            """, path: "a.yaml")
        let alerting = try #require(configuration.alerting)
        #expect(alerting.sliceWidth == .seconds(2))
        #expect(alerting.sliceCloseDelay == .milliseconds(500))
        #expect(alerting.downSlicesToFire == 2)
        #expect(alerting.upSlicesToResolve == 3)
        #expect(alerting.downShare == 0.4)
        #expect(alerting.quorum == 1)
        #expect(alerting.providerOutageShare == 0.75)
        #expect(alerting.vantageUnhealthyFor == .seconds(30))
        #expect(alerting.resendInterval == .seconds(20))
        #expect(alerting.receivers == [
            AlertReceiverSettings(name: "am", kind: .alertmanager(baseURL: "http://127.0.0.1:9093")),
            AlertReceiverSettings(name: "bridge", kind: .webhook(url: "http://127.0.0.1:8080/hook")),
            AlertReceiverSettings(name: "pd", kind: .pagerDuty(
                routingKey: "0123456789abcdef0123456789abcdef", url: "http://127.0.0.1:9/v2/enqueue")),
        ])
        #expect(alerting.routes == [
            AlertRouteSettings(match: ["team": "platform"], receiver: "pd", repeatInterval: .seconds(14_400), continueMatching: true),
            AlertRouteSettings(receiver: "am"),
        ])
    }

    @Test func leftOutSettingsStayUnsetAndNoAlertingSectionMeansNone() throws {
        let minimal = try Configuration.load(
            yaml: "alerting:\n  receivers: [{name: pd, pagerduty: {routing_key: abc}}]\n", path: "a.yaml")
        #expect(minimal.alerting?.sliceWidth == nil)
        #expect(minimal.alerting?.downSlicesToFire == nil)
        #expect(minimal.alerting?.routes == [])
        #expect(minimal.alerting?.receivers == [AlertReceiverSettings(name: "pd", kind: .pagerDuty(routingKey: "abc", url: nil))])
        #expect(try Configuration.load(yaml: "providers: [{id: p}]\n", path: "b.yaml").alerting == nil)
    }

    @Test func onlyOneFileMayDefineAlerting() throws {
        let section = "alerting:\n  receivers: [{name: am, alertmanager: {url: http://127.0.0.1:1}}]\n"
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load([
                ConfigurationSource(path: "one.yaml", text: section), ConfigurationSource(path: "two.yaml", text: section),
            ])
        }
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.location.file == "two.yaml")
        #expect(error.issues.first?.message.contains("already defined at one.yaml:") == true, "\(error)")
    }
}

extension AlertingConfigurationTests {
    @Test func aLongRepeatIntervalIsRefusedOnARouteToAlertmanagerOnly() throws {
        let receivers = "alerting:\n  receivers:\n    - {name: am, alertmanager: {url: http://127.0.0.1:1}}\n    - {name: pd, pagerduty: {routing_key: k}}\n  routes:\n"
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load(yaml: receivers + "    - {receiver: am, repeat_interval: 4h}\n", path: "a.yaml")
        }
        #expect(error.issues.map(\.field) == ["alerting.routes[0].repeat_interval"])
        #expect(error.issues.first?.message.contains("below 4m") == true)
        let accepted = try Configuration.load(yaml: receivers + "    - {receiver: pd, repeat_interval: 4h}\n", path: "a.yaml")
        #expect(accepted.alerting?.routes.first?.repeatInterval == .seconds(14_400))
    }
}
