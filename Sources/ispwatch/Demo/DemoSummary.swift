import Foundation
import ISPLab
import SLAEngine
import WatchCore

/// `ispwatch demo --json`: what the demo found, per provider, next to what its script did.
struct DemoSummary: Codable {
    struct Fault: Codable {
        var kind: String
        var services: [String]
        var start: String
        var end: String?
        /// Offsets from the lab's start, in seconds.
        var startOffset: Double
        var endOffset: Double?
    }

    struct FoundIncident: Codable {
        var target: String
        var service: String
        var start: String
        var end: String?
        var startOffset: Double
        var endOffset: Double?
        var dominantFailure: String?
        var flapping: Bool
    }

    struct Provider: Codable {
        var id: String
        var name: String
        var address: String
        var scriptedFaults: [Fault]
        /// Raw availability over the demo (UP / (UP + DOWN) slices); nil when nothing was measured.
        var availability: Double?
        var coverage: Double
        var flapping: Bool
        var incidents: [FoundIncident]
        var pagesSent: Int
        var resolvesSent: Int
    }

    struct Pages: Codable {
        var sent: Int
        var resolved: Int
    }

    var directory: String
    var labStart: String
    var from: String
    var to: String
    var sliceSeconds: Double
    var providers: [Provider]
    var pages: Pages
    var reportHTML: String

    /// Pairs the SLA result with the script and the pages received.
    init(
        result: SLAResult, lab: ProviderLab, labStart: Timestamp, configuration: Configuration, pages: [ReceivedPage],
        directory: String, reportHTML: String
    ) {
        func offset(_ time: Timestamp) -> Double { labStart.duration(to: time) / .seconds(1) }
        let providerOfTarget = Dictionary(configuration.targets.map { ($0.id, $0.provider) }, uniquingKeysWith: { first, _ in first })
        self.directory = directory
        self.labStart = labStart.description
        from = result.period.from.description
        to = result.period.to.description
        sliceSeconds = Double(result.rules.sliceMillis) / 1000
        self.reportHTML = reportHTML
        self.pages = Pages(sent: pages.count { !$0.isResolve }, resolved: pages.count { $0.isResolve })
        providers = lab.endpoints.map { endpoint in
            let id = endpoint.provider.id
            let group = result.groups.first { $0.key[.provider] == id }
            let incidents = result.incidents.filter { $0.provider == id }.map { incident in
                FoundIncident(
                    target: incident.target.rawValue, service: incident.service, start: incident.start.description,
                    end: incident.end?.description, startOffset: offset(incident.start), endOffset: incident.end.map(offset),
                    dominantFailure: incident.dominantFailure, flapping: incident.flapping)
            }
            let flapping = result.flappingEpisodes.contains { providerOfTarget[$0.target] == id } || incidents.contains(where: \.flapping)
            let ownPages = pages.filter { $0.labels["provider"] == id }
            return Provider(
                id: id, name: endpoint.provider.name, address: endpoint.provider.address,
                scriptedFaults: endpoint.provider.faults.map { fault in
                    Fault(kind: fault.kind.rawValue, services: fault.services.map(\.rawValue).sorted(),
                          start: labStart.advanced(by: fault.start).description,
                          end: fault.end.map { labStart.advanced(by: $0).description },
                          startOffset: fault.start / .seconds(1), endOffset: fault.end.map { $0 / .seconds(1) })
                },
                availability: group?.availability.raw, coverage: group?.availability.coverage ?? 0, flapping: flapping,
                incidents: incidents, pagesSent: ownPages.count { !$0.isResolve }, resolvesSent: ownPages.count { $0.isResolve })
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}
