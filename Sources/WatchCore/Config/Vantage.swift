/// The place a prober probes from: one host inside one network.
///
/// ISP resolvers answer only their own customers, so which network a vantage sits in decides what it
/// can measure. Results are keyed by vantage so that several vantages' views of one target never mix.
public struct Vantage: Sendable, Hashable {
    /// The vantage's id, e.g. `hanoi-vnpt-1`; part of every ``SeriesKey``.
    public var id: String
    /// Where the vantage is, e.g. `hanoi`.
    public var region: String?
    /// The provider network the vantage sits in (usually a provider id, e.g. `vnpt`), or `nil` for a
    /// neutral network such as a data centre.
    public var network: String?
    /// Free labels, copied onto every series from this vantage.
    public var labels: [String: String]
    /// The vantage's own control probes (e.g. two well-known anycast resolvers and a domestic target),
    /// probed every cycle beside the providers' targets: when all of them fail, the vantage's own
    /// network is broken and its results say nothing about providers. Their `provider` is empty.
    public var controls: [Target]
    /// Where the vantage was defined, for messages.
    public var definedAt: SourceLocation?

    /// Creates a vantage.
    public init(
        id: String, region: String? = nil, network: String? = nil, labels: [String: String] = [:],
        controls: [Target] = [], definedAt: SourceLocation? = nil
    ) {
        self.id = id
        self.region = region
        self.network = network
        self.labels = labels
        self.controls = controls
        self.definedAt = definedAt
    }

    /// The vantage id series carry when the configuration names no vantage.
    public static let unnamedID = "local"
}
