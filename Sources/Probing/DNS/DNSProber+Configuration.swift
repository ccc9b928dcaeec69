extension DNSProber {
    /// How the DNS prober's transport is sized.
    public struct Configuration: Sendable {
        /// UDP sockets per IP family, each on its own random source port. Default 8: enough to
        /// spread 100k queries/s over the kernel's socket locks, few enough to keep 65,536 query
        /// IDs per socket far from exhausted.
        public var socketCount: Int
        /// Event-loop threads that read and write the sockets. Default 1: on a small machine the
        /// cooperative pool that decodes answers needs the other cores.
        public var eventLoopThreads: Int
        /// Datagrams read per `recvmmsg` call. Default 64.
        public var vectorReadCount: Int

        /// Creates a configuration with the documented defaults.
        public init(socketCount: Int = 8, eventLoopThreads: Int = 1, vectorReadCount: Int = 64) {
            self.socketCount = max(1, socketCount)
            self.eventLoopThreads = max(1, eventLoopThreads)
            self.vectorReadCount = max(1, vectorReadCount)
        }
    }

    /// The largest UDP answer the prober reads; larger EDNS sizes in a spec are lowered to this.
    public static let maximumUDPPayload = 4096
}
