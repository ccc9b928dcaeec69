import Yams

extension NodeReader {
    static let objectiveKeys = ["id", "provider", "service", "availability", "period", "timezone", "min_coverage"]

    /// Decodes one entry of `objectives:`.
    mutating func serviceObjective(_ field: Field, references: inout [ProviderReference]) -> ServiceObjective? {
        guard let fields = fields(of: field, allowed: Self.objectiveKeys, required: ["id", "provider", "availability"])
        else { return nil }
        var valid = true
        let id = identifier(fields["id"])
        let provider = identifier(fields["provider"])
        if let provider, let providerField = fields["provider"] {
            references.append(ProviderReference(
                provider: provider, location: location(providerField.node.mark), path: providerField.path.description))
        }
        let service = fields["service"].flatMap { string($0) }
        if fields["service"] != nil, service == nil { valid = false }
        let availability = fields["availability"].flatMap { percentage($0, exclusive: true) }
        let period = fields["period"].map { choice($0, of: CalendarPeriodUnit.self) } ?? .month
        let zone = fields["timezone"].map { timeZone($0) } ?? ServiceObjective.defaultTimeZone
        let coverage = fields["min_coverage"].map { percentage($0, exclusive: false) }
            ?? ServiceObjective.defaultMinimumCoverage
        guard valid, let id, let provider, let availability, let period, let zone, let coverage else { return nil }
        return ServiceObjective(
            id: id, provider: provider, service: service, availability: availability, period: period, timeZone: zone,
            minimumCoverage: coverage, definedAt: location(fields["id"]?.node.mark))
    }

    /// A percentage written `99.5%` or `99.5`, as a fraction (0.995). With `exclusive`, 0 and 100
    /// are refused (an objective of 100 % has no error budget to speak of).
    mutating func percentage(_ field: Field, exclusive: Bool) -> Double? {
        guard let text = string(field) else { return nil }
        let number = text.hasSuffix("%") ? String(text.dropLast()).trimmingSpaces() : text
        guard let value = Double(number), value.isFinite else {
            report("\"\(text)\" is not a percentage; write a number of percent like 99.5%", at: field)
            return nil
        }
        let inRange = exclusive ? value > 0 && value < 100 : value >= 0 && value <= 100
        guard inRange else {
            report("\(text) is out of range; write a percentage " + (exclusive ? "between 0 and 100, like 99.5%" : "from 0 to 100"),
                   at: field)
            return nil
        }
        // Shifting the decimal point in the text gives the double nearest to the fraction written
        // (99.9 / 100 would be 0.9990000000000001).
        return Double(number + "e-2") ?? value / 100
    }
}
