import WatchCore

/// A decoded DNS message: header, question and the three record sections.
public struct DNSMessage: Sendable, Hashable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    /// The additional section, without the OPT pseudo-record (see ``edns``).
    public var additionals: [DNSResourceRecord]
    /// The EDNS0 OPT record, when the message carried one.
    public var edns: DNSResourceRecord?

    /// The full response code: the header's 4 bits, extended by the OPT record's upper 8 bits
    /// (RFC 6891 §6.1.3).
    public var rcode: DNSRcode {
        let upper = edns.map { Int($0.ttl >> 24) } ?? 0
        return DNSRcode(rawValue: upper << 4 | header.baseRcode)
    }

    /// The serial of the first SOA record in the answer or authority section.
    public var soaSerial: UInt32? {
        for record in answers + authorities {
            if case .soa(let soa) = record.data { return soa.serial }
        }
        return nil
    }

    /// Decodes a whole message.
    ///
    /// Counts are never trusted to size anything: each record is read until the bytes run out,
    /// so a count larger than the message fails with `truncated` after a bounded amount of work.
    /// Bytes after the last record are ignored (some middleboxes pad).
    public init(decoding bytes: [UInt8]) throws(DNSWireError) {
        var reader = DNSWireReader(bytes: bytes)
        header = try DNSHeader(from: &reader)
        questions = []
        answers = []
        authorities = []
        additionals = []
        edns = nil
        for _ in 0..<header.questionCount { questions.append(try DNSQuestion(from: &reader)) }
        for _ in 0..<header.answerCount { answers.append(try DNSResourceRecord(from: &reader)) }
        for _ in 0..<header.authorityCount { authorities.append(try DNSResourceRecord(from: &reader)) }
        for _ in 0..<header.additionalCount {
            let record = try DNSResourceRecord(from: &reader)
            if record.type == .opt && edns == nil {
                edns = record
            } else {
                additionals.append(record)
            }
        }
    }

    /// Decodes only the header and the first question, which is all that matching an answer to its
    /// query needs.
    static func decodeHeaderAndQuestion(_ bytes: [UInt8]) throws(DNSWireError) -> (DNSHeader, DNSQuestion?) {
        var reader = DNSWireReader(bytes: bytes)
        let header = try DNSHeader(from: &reader)
        guard header.questionCount > 0 else { return (header, nil) }
        return (header, try DNSQuestion(from: &reader))
    }
}
