import SeriesStore
import WatchCore

/// The providers and targets a server knows: the configured ones and those found in the stores
/// (a store can hold history of targets since removed from the configuration).
struct Catalog: Sendable {
    /// One provider.
    struct ProviderEntry: Sendable, Encodable {
        var id: String
        var name: String
        var country: String?
        var targets: Int
    }

    /// One target.
    struct TargetEntry: Sendable, Encodable {
        var id: String
        var provider: String
        var service: String
        var kind: String?
        var region: String?
        var configured: Bool
    }

    /// Every provider, by id.
    private(set) var providers: [String: ProviderEntry] = [:]
    /// Every target, by id.
    private(set) var targets: [String: TargetEntry] = [:]

    init(configuration: Configuration, readers: [StoreReader]) {
        for target in configuration.targets {
            targets[target.id.rawValue] = TargetEntry(
                id: target.id.rawValue, provider: target.provider, service: target.service, kind: target.spec.kind.rawValue,
                region: target.region, configured: true)
        }
        for reader in readers {
            for entry in reader.series.values where entry.metadata.labels[SeriesRole.labelName] == nil {
                let id = entry.key.target.rawValue
                guard targets[id] == nil, !entry.metadata.provider.isEmpty else { continue }
                targets[id] = TargetEntry(
                    id: id, provider: entry.metadata.provider, service: entry.metadata.service,
                    kind: entry.metadata.kind?.rawValue, region: entry.metadata.region.isEmpty ? nil : entry.metadata.region,
                    configured: false)
            }
        }
        for provider in configuration.providers {
            providers[provider.id] = ProviderEntry(id: provider.id, name: provider.name, country: provider.country, targets: 0)
        }
        for target in targets.values {
            providers[target.provider, default: ProviderEntry(id: target.provider, name: target.provider, targets: 0)].targets += 1
        }
    }

    /// The providers `caller` may see, by id.
    func providers(visibleTo visible: Set<String>?) -> [ProviderEntry] {
        providers.values.filter { visible?.contains($0.id) ?? true }.sorted { $0.id < $1.id }
    }

    /// The targets of the visible providers, by id.
    func targets(visibleTo visible: Set<String>?) -> [TargetEntry] {
        targets.values.filter { visible?.contains($0.provider) ?? true }.sorted { $0.id < $1.id }
    }
}
