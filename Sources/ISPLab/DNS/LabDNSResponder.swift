/// What a provider's resolver does with a query at this moment of its script.
struct LabDNSResponder: Sendable {
    /// The answer to send, and after how long.
    struct Answer {
        var bytes: [UInt8]
        var delay: Duration
    }

    let provider: FaultScript.Provider
    let script: FaultScript
    let timeline: LabTimeline
    let addressBytes: [UInt8]

    init(provider: FaultScript.Provider, script: FaultScript, timeline: LabTimeline) {
        self.provider = provider
        self.script = script
        self.timeline = timeline
        addressBytes = provider.address.split(separator: ".").compactMap { UInt8($0) }
    }

    /// The answer to `query`, or nil for none (an outage, or bytes that are not a query).
    func answer(_ query: [UInt8]) -> Answer? {
        let fault = script.activeFault(provider: provider.id, service: .dns, at: timeline.offset)
        let rcode: UInt8
        switch fault?.kind {
        case .outage: return nil
        case .refuse: rcode = LabDNSReply.refused
        case .servfail, .flapping: rcode = LabDNSReply.serverFailure
        default: rcode = LabDNSReply.noError
        }
        guard let reply = LabDNSReply(answering: query, rcode: rcode, address: addressBytes) else { return nil }
        return Answer(bytes: reply.bytes, delay: fault?.kind == .slow ? fault?.delay ?? .zero : .zero)
    }
}
