import ServiceLifecycle

/// A service that only waits for graceful shutdown (SIGINT/SIGTERM): what `ispwatch lab` and the
/// demo's serving phase run while their servers work on their own threads.
struct ShutdownWait: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }

    /// Returns when the process gets SIGINT or SIGTERM.
    static func untilSignalled() async throws {
        let group = ServiceGroup(services: [ShutdownWait()], gracefulShutdownSignals: [.sigint, .sigterm], logger: .init(label: "ispwatch"))
        try await group.run()
    }
}
