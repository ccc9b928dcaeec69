import Foundation
import NIOCore
import NIOPosix

/// The simulated providers of a fault script, running on loopback: per provider a DNS resolver
/// (UDP and TCP) and an HTTP and an HTTPS portal on its own 127.0.0.x address, each following the
/// script from the moment the lab started.
public final class ProviderLab: Sendable {
    /// The script the providers follow.
    public let script: FaultScript
    /// The lab's clock (faults are offsets from its start).
    public let timeline: LabTimeline
    /// Where each provider listens, in script order.
    public let endpoints: [ProviderEndpoints]
    /// The PEM file of the lab's certificate authority, which verifies every HTTPS portal.
    public let certificateAuthorityFile: String

    private let resolvers: [LabResolver]
    private let portals: [PortalServer]

    private init(
        script: FaultScript, timeline: LabTimeline, endpoints: [ProviderEndpoints], certificateAuthorityFile: String,
        resolvers: [LabResolver], portals: [PortalServer]
    ) {
        self.script = script
        self.timeline = timeline
        self.endpoints = endpoints
        self.certificateAuthorityFile = certificateAuthorityFile
        self.resolvers = resolvers
        self.portals = portals
    }

    /// Starts every provider of `script` on free ports, makes the certificates and writes the
    /// authority's to `DIRECTORY/ca.pem`. The timeline starts just before the first server binds.
    ///
    /// - Throws: `LabServerError` when an address cannot be bound, `LabTLSError` when OpenSSL fails.
    public static func start(
        script: FaultScript, directory: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ProviderLab {
        // A portal writing to a client that hung up must get EPIPE, not end the process.
        signal(SIGPIPE, SIG_IGN)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let authority = try LabCertificateAuthority()
        let authorityFile = directory + "/ca.pem"
        try authority.writeCertificate(to: authorityFile)
        // Binding every server takes milliseconds, far below any scripted offset.
        let timeline = LabTimeline()
        var resolvers: [LabResolver] = []
        var portals: [PortalServer] = []
        var endpoints: [ProviderEndpoints] = []
        do {
            for provider in script.providers {
                let resolver = try await LabResolver.start(
                    responder: LabDNSResponder(provider: provider, script: script, timeline: timeline), port: 0, group: group)
                resolvers.append(resolver)
                let http = try PortalServer(provider: provider, service: .http, port: 0, script: script, timeline: timeline, tls: nil)
                portals.append(http)
                let tls = PortalServer.TLS(
                    valid: try authority.serverContext(address: provider.address, expired: false),
                    expired: try authority.serverContext(address: provider.address, expired: true))
                let https = try PortalServer(provider: provider, service: .https, port: 0, script: script, timeline: timeline, tls: tls)
                portals.append(https)
                endpoints.append(ProviderEndpoints(
                    provider: provider, dnsPort: resolver.port, httpPort: Int(http.port), httpsPort: Int(https.port)))
            }
        } catch {
            for portal in portals { portal.stop() }
            for resolver in resolvers { await resolver.stop() }
            throw error
        }
        for portal in portals { portal.serve() }
        return ProviderLab(
            script: script, timeline: timeline, endpoints: endpoints, certificateAuthorityFile: authorityFile,
            resolvers: resolvers, portals: portals)
    }

    /// Stops every server; ports close within a few tens of milliseconds.
    public func stop() async {
        for portal in portals { portal.stop() }
        for resolver in resolvers { await resolver.stop() }
    }

    /// Runs `body` with a started lab and stops it afterwards, also when `body` throws.
    public static func withLab<Result>(
        script: FaultScript, directory: String, _ body: (ProviderLab) async throws -> Result
    ) async throws -> Result {
        let lab = try await start(script: script, directory: directory)
        do {
            let result = try await body(lab)
            await lab.stop()
            return result
        } catch {
            await lab.stop()
            throw error
        }
    }

    /// The endpoints of the provider `id`.
    public func endpoints(of id: String) -> ProviderEndpoints? {
        endpoints.first { $0.provider.id == id }
    }
}
