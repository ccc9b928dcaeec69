import LiveMetrics
import Logging
import ServiceLifecycle
import WatchCore
import WatchServer

/// `ispwatch run --serve-address`: the server of `ispwatch serve` inside the run, over its own store,
/// with the live registry on its `/metrics` too.
enum RunServeOption {
    /// The server as a service of run's group, or none without an address.
    static func services(
        address: MetricsAddress?, configuration: Configuration, data: String, metrics: ProbeMetrics, logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let address else { return [] }
        return [.init(service: WatchServerService(configuration: configuration, dataDirectories: [data], address: address,
                                                  logger: logger, probeMetrics: metrics))]
    }
}
