/// Where one simulated provider's services listen.
public struct ProviderEndpoints: Sendable, Hashable {
    /// The provider as scripted.
    public var provider: FaultScript.Provider
    /// The resolver's port (UDP and TCP).
    public var dnsPort: Int
    /// The plain HTTP portal's port.
    public var httpPort: Int
    /// The HTTPS portal's port.
    public var httpsPort: Int

    /// The name the resolver is asked for by the lab's targets; it answers with the provider's address.
    public var queryName: String { "portal.\(provider.id).lab" }
    /// The portal's URLs.
    public var httpURL: String { "http://\(provider.address):\(httpPort)/" }
    /// The HTTPS portal's URL.
    public var httpsURL: String { "https://\(provider.address):\(httpsPort)/" }
}
