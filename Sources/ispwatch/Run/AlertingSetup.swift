import Alerting
import Foundation
import Logging
import SLAEngine
import WatchCore

/// Turns the `alerting:` section into the running parts: rules, one outbox and dispatcher per
/// receiver (`DATA/alerts/outbox-<name>`), the routes, and the pipeline over them.
enum AlertingSetup {
    /// The directory of `receiver`'s outbox under the data directory `data`.
    static func outboxDirectory(data: String, receiver: String) -> String {
        data + "/alerts/outbox-" + receiver
    }

    /// The engine's rules: the section's settings over the documented defaults, and every objective
    /// of the `objectives:` section watched for its error-budget burn rate.
    static func rules(_ settings: AlertingSettings, objectives: [ServiceObjective]) -> AlertRules {
        let defaults = AlertRules()
        var accounting = defaults.accounting
        if let width = settings.sliceWidth {
            accounting.sliceMillis = width.components.seconds * 1_000 + width.components.attoseconds / 1_000_000_000_000_000
        }
        if let share = settings.downShare { accounting.slice = SliceRule(downShare: share) }
        if let quorum = settings.quorum { accounting.quorum = QuorumRule(downVantages: quorum) }
        accounting.incident = IncidentRule(
            openAfterDownSlices: settings.downSlicesToFire ?? accounting.incident.openAfterDownSlices,
            closeAfterUpSlices: settings.upSlicesToResolve ?? accounting.incident.closeAfterUpSlices)
        return AlertRules(
            accounting: accounting, sliceCloseDelay: settings.sliceCloseDelay ?? defaults.sliceCloseDelay,
            vantageUnhealthyFor: settings.vantageUnhealthyFor ?? defaults.vantageUnhealthyFor,
            providerOutageShare: settings.providerOutageShare ?? defaults.providerOutageShare,
            resendInterval: settings.resendInterval ?? defaults.resendInterval,
            burnRates: objectives.map { BurnRateObjective(objective: $0) })
    }

    /// The routes; with none configured, every notification goes to every receiver.
    static func routes(_ settings: AlertingSettings) -> [AlertRoute] {
        if settings.routes.isEmpty {
            return settings.receivers.map { AlertRoute(receiver: $0.name, continueMatching: true) }
        }
        return settings.routes.map {
            AlertRoute(matchers: $0.match, receiver: $0.receiver, repeatInterval: $0.repeatInterval, continueMatching: $0.continueMatching)
        }
    }

    /// The receiver a configured entry describes. URLs were checked when the configuration loaded.
    static func receiver(_ settings: AlertReceiverSettings) -> any AlertReceiver {
        switch settings.kind {
        case .alertmanager(let baseURL): AlertmanagerReceiver(baseURL: URL(string: baseURL)!)
        case .webhook(let url): WebhookReceiver(url: URL(string: url)!, receiverName: settings.name)
        case .pagerDuty(let routingKey, let url):
            PagerDutyReceiver(routingKey: routingKey, url: url.flatMap { URL(string: $0) } ?? PagerDutyReceiver.defaultURL)
        }
    }

    /// Opens every receiver's outbox under `data` and builds the pipeline.
    static func pipeline(
        _ settings: AlertingSettings, configuration: Configuration, data: String, logger: Logger
    ) throws(OutboxError) -> AlertPipeline {
        var dispatchers: [String: AlertDispatcher] = [:]
        for entry in settings.receivers {
            let outbox = try AlertOutbox(directory: outboxDirectory(data: data, receiver: entry.name))
            var receiverLogger = logger
            receiverLogger[metadataKey: "alert.receiver.name"] = "\(entry.name)"
            dispatchers[entry.name] = AlertDispatcher(outbox: outbox, receiver: receiver(entry), logger: receiverLogger)
        }
        let engine = AlertEngine(rules: rules(settings, objectives: configuration.objectives), targets: configuration.targets, maintenance: configuration.maintenance)
        return AlertPipeline(engine: engine, router: AlertRouter(routes: routes(settings)), dispatchers: dispatchers)
    }
}
