import Foundation
import ISPLab
import Probing
import Testing
import WatchCore

/// A lab of one provider with `faults`, and the configuration that probes it, for one test.
struct LabFixture {
    let lab: ProviderLab
    let configuration: Configuration

    static let provider = "acme"

    /// Runs `body` with a lab whose single provider has `faults`, stopping it afterwards.
    static func with<Result>(
        faults: [ScriptedFault], timeout: Duration = .seconds(1), _ body: (LabFixture) async throws -> Result
    ) async throws -> Result {
        let script = FaultScript(providers: [.init(id: provider, name: "Acme ISP", address: "127.0.0.21", faults: faults)])
        let directory = NSTemporaryDirectory() + "/isplab-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await ProviderLab.withLab(script: script, directory: directory) { lab in
            var writer = LabTargetConfiguration()
            writer.interval = .seconds(5)
            writer.timeout = timeout
            let configuration = try Configuration.load([ConfigurationSource(path: "lab.yaml", text: writer.yaml(for: lab))])
            return try await body(LabFixture(lab: lab, configuration: configuration))
        }
    }

    /// Probes the provider's `service` once through the real probers, as `ispwatch run` would.
    func probe(_ service: LabService) async throws -> ProbeResult {
        let id = TargetID(rawValue: LabTargetConfiguration.targetID(provider: Self.provider, service: service))
        let target = try #require(configuration.targets.first { $0.id == id })
        let request = try #require(target.requests(scheduledAt: nil).first)
        return try await ProbeEngine.withEngine { engine in await engine.probe(request) }
    }
}
