/// The services every simulated provider runs, each on its own port of the provider's address.
public enum LabService: String, Sendable, Hashable, CaseIterable, Codable {
    /// The DNS resolver, over UDP and TCP on the same port.
    case dns
    /// The web portal over plain HTTP.
    case http
    /// The same portal over HTTPS, with a certificate from the lab's own authority.
    case https
}
