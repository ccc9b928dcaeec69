/// What a scripted fault does to a service while it is active (docs/LAB.md, "Faults").
public enum FaultKind: String, Sendable, Hashable, CaseIterable {
    /// No answer at all: DNS queries are dropped, portal connections are accepted and never served.
    case outage
    /// DNS answers REFUSED; the portal's port is closed, so connections are refused.
    case refuse
    /// DNS answers SERVFAIL.
    case servfail
    /// Every answer is delayed by the fault's `delay`.
    case slow
    /// The portal answers the fault's `status` (default 503).
    case http5xx = "http_5xx"
    /// Alternates, every half `period`, between failing (DNS SERVFAIL, portal 503) and healthy, failing first.
    case flapping
    /// The HTTPS portal presents a certificate that expired a day ago.
    case tlsExpired = "tls_expired"

    /// The services this kind of fault can act on; a fault written for `all` applies to these only.
    public var services: Set<LabService> {
        switch self {
        case .outage, .refuse, .slow, .flapping: [.dns, .http, .https]
        case .servfail: [.dns]
        case .http5xx: [.http, .https]
        case .tlsExpired: [.https]
        }
    }
}
