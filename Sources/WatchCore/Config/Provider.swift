/// A telecom or internet provider whose services are probed (e.g. Viettel).
///
/// SLA figures are grouped by provider, and a provider only ever sees its own targets.
public struct Provider: Sendable, Hashable {
    /// The provider's id, e.g. `viettel`; targets refer to it.
    public var id: String
    /// The provider's name for humans, e.g. `Viettel`.
    public var name: String
    /// The ISO 3166-1 alpha-2 country code, e.g. `VN`.
    public var country: String?
    /// Free labels, copied onto the provider's series.
    public var labels: [String: String]
    /// Where the provider was defined, for messages.
    public var definedAt: SourceLocation?

    /// Creates a provider; the name defaults to the id.
    public init(
        id: String, name: String? = nil, country: String? = nil, labels: [String: String] = [:],
        definedAt: SourceLocation? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.country = country
        self.labels = labels
        self.definedAt = definedAt
    }
}
