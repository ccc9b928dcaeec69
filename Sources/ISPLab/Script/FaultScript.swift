/// The lab's scenario: its providers and the timed faults of each (docs/LAB.md).
public struct FaultScript: Sendable, Hashable {
    /// One simulated provider of the script.
    public struct Provider: Sendable, Hashable {
        /// Its id (also the ispwatch provider id of the config the lab writes).
        public var id: String
        /// Its name for humans.
        public var name: String
        /// The loopback address its services listen on (127.0.0.x).
        public var address: String
        /// Its faults, in script order: the first active one on a service wins.
        public var faults: [ScriptedFault]

        /// Creates a provider.
        public init(id: String, name: String? = nil, address: String, faults: [ScriptedFault] = []) {
            self.id = id
            self.name = name ?? id
            self.address = address
            self.faults = faults
        }
    }

    /// The nominal length of the scenario (`duration:`), which `scaled(to:)` compresses from.
    public var duration: Duration?
    /// The providers, in script order.
    public var providers: [Provider]

    /// Creates a script.
    public init(duration: Duration? = nil, providers: [Provider]) {
        self.duration = duration
        self.providers = providers
    }

    /// The fault acting on `service` of `provider` at `offset` from the lab's start, if any.
    public func activeFault(provider: String, service: LabService, at offset: Duration) -> ScriptedFault? {
        providers.first { $0.id == provider }?.faults.first { $0.isActive(on: service, at: offset) }
    }

    /// The script with its timeline stretched or compressed so that `duration` becomes `length`.
    /// A script without `duration:` is returned unchanged.
    public func scaled(to length: Duration) -> FaultScript {
        guard let duration, duration > .zero else { return self }
        let factor = length / duration
        var copy = self
        copy.duration = length
        copy.providers = providers.map { provider in
            var scaled = provider
            scaled.faults = provider.faults.map { $0.scaled(by: factor) }
            return scaled
        }
        return copy
    }
}
