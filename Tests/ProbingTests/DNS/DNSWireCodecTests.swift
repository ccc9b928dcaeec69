import Testing
import WatchCore

@testable import Probing

/// Builds raw messages for codec tests.
private enum Wire {
    static func header(id: UInt16 = 0xBEEF, flags: UInt16 = 0x8180, qd: UInt16 = 1, an: UInt16 = 0, ns: UInt16 = 0,
                       ar: UInt16 = 0) -> [UInt8] {
        [id, flags, qd, an, ns, ar].flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    static func name(_ labels: String...) -> [UInt8] {
        labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    /// Labels without the root, to be followed by a compression pointer.
    static func labels(_ labels: String...) -> [UInt8] {
        labels.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
    }

    static func record(type: UInt16, ttl: UInt32 = 300, data: [UInt8], name: [UInt8] = [0xC0, 0x0C],
                       recordClass: UInt16 = 1) -> [UInt8] {
        name + [UInt8(type >> 8), UInt8(type & 0xFF), UInt8(recordClass >> 8), UInt8(recordClass & 0xFF)]
            + [UInt8(ttl >> 24), UInt8(ttl >> 16 & 0xFF), UInt8(ttl >> 8 & 0xFF), UInt8(ttl & 0xFF)]
            + [UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
    }

    /// `www.example.` A IN as the question, at offset 12.
    static let question = name("www", "example") + [0, 1, 0, 1]
}

@Suite struct DNSWireCodecTests {
    @Test func queryEncodingMatchesTheRFCLayoutByteForByte() throws {
        let question = DNSQuestion(name: try DNSName("www.Example.com."), type: .aaaa)
        let bytes = DNSQueryEncoder.encode(id: 0x1234, question: question, recursionDesired: true, ednsBufferSize: 1232)
        let expected: [UInt8] =
            [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1]
            + [3] + Array("www".utf8) + [7] + Array("Example".utf8) + [3] + Array("com".utf8) + [0]
            + [0, 28, 0, 1]
            + [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, 0]
        #expect(bytes == expected)
    }

    @Test func queryWithoutEDNSHasNoAdditionalRecord() throws {
        let bytes = DNSQueryEncoder.encode(
            id: 1, question: DNSQuestion(name: try DNSName("a.b"), type: .a), recursionDesired: false,
            ednsBufferSize: nil)
        #expect(bytes[2] == 0)
        #expect(bytes[11] == 0)
        #expect(bytes.count == 12 + 5 + 4)
    }

    @Test func answerWithEveryDecodedTypeIsPresentedLikeAZoneFile() throws {
        let mail = Wire.labels("mail") + [0xC0, 0x10]  // mail.example.
        let records: [[UInt8]] = [
            Wire.record(type: 1, data: [192, 0, 2, 1]),
            Wire.record(type: 28, data: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]),
            Wire.record(type: 5, data: Wire.labels("portal") + [0xC0, 0x10]),
            Wire.record(type: 2, data: Wire.labels("ns1") + [0xC0, 0x10]),
            Wire.record(type: 12, data: [0xC0, 0x0C]),
            Wire.record(type: 15, data: [0, 10] + mail),
            Wire.record(type: 16, data: [5] + Array("hello".utf8) + [3, 0x22, 0x41, 0x01]),
            Wire.record(
                type: 6,
                data: Wire.labels("ns1") + [0xC0, 0x10] + Wire.labels("hostmaster") + [0xC0, 0x10]
                    + [0x78, 0xC3, 0x1F, 0x11, 0, 0, 0x0E, 0x10, 0, 0, 0x03, 0x84, 0, 0x09, 0x3A, 0x80, 0, 0, 1, 0x2C]),
            Wire.record(type: 257, data: [0, 5] + Array("issue".utf8) + Array("letsencrypt.org".utf8)),
            Wire.record(type: 65, data: [0x0A, 0, 0, 1]),
        ]
        let bytes = Wire.header(an: UInt16(records.count)) + Wire.question + records.flatMap { $0 }
        let message = try DNSMessage(decoding: bytes)
        #expect(message.header.id == 0xBEEF)
        #expect(message.rcode == .noError)
        #expect(message.questions == [DNSQuestion(name: try DNSName("WWW.example"), type: .a)])
        #expect(message.answers.map(\.presentation) == [
            "www.example. 300 IN A 192.0.2.1",
            "www.example. 300 IN AAAA 2001:db8::1",
            "www.example. 300 IN CNAME portal.example.",
            "www.example. 300 IN NS ns1.example.",
            "www.example. 300 IN PTR www.example.",
            "www.example. 300 IN MX 10 mail.example.",
            "www.example. 300 IN TXT \"hello\" \"\\\"A\\001\"",
            "www.example. 300 IN SOA ns1.example. hostmaster.example. 2026053393 3600 900 604800 300",
            "www.example. 300 IN CAA 0 issue \"letsencrypt.org\"",
            "www.example. 300 IN TYPE65 \\# 4 0a000001",
        ])
        #expect(message.soaSerial == 2_026_053_393)
    }

    @Test func extendedRcodeCombinesTheOPTRecordWithTheHeader() throws {
        let opt = Wire.record(type: 41, ttl: 0x0100_0000, data: [], name: [0], recordClass: 1232)
        let bytes = Wire.header(flags: 0x8180, ar: 1) + Wire.question + opt
        let message = try DNSMessage(decoding: bytes)
        #expect(message.rcode == .badVers)
        #expect(message.edns?.recordClass == 1232)
        #expect(message.additionals.isEmpty)
    }

    /// Hostile or broken messages: each must fail with a typed error, never trap.
    static let hostileMessages: [(label: String, bytes: [UInt8], error: String)] = [
        ("empty message", [], "truncated"),
        ("header cut short", [0xBE, 0xEF, 0x81], "truncated"),
        ("question announced but missing", Wire.header(), "truncated"),
        ("pointer to itself", Wire.header() + [0xC0, 0x0C, 0, 1, 0, 1], "bad_compression_pointer"),
        ("pointer forward", Wire.header() + [0xC0, 0x20, 0, 1, 0, 1] + [UInt8](repeating: 0, count: 30),
         "bad_compression_pointer"),
        ("pointer loop through a label", Wire.header() + [1, 0x61, 0xC0, 0x0C, 0, 1, 0, 1], "bad_compression_pointer"),
        ("two-pointer loop in an answer",
         Wire.header(an: 1) + Wire.question + [1, 0x62, 0xC0, 0x21] + [0xC0, 0x1D] + [0, 1, 0, 1],
         "bad_compression_pointer"),
        ("label over 63", Wire.header() + [64] + [UInt8](repeating: 0x61, count: 64) + [0, 0, 1, 0, 1],
         "label_too_long"),
        ("name over 255", Wire.header() + Array(repeating: [1, 0x61], count: 130).flatMap { $0 } + [0, 0, 1, 0, 1],
         "name_too_long"),
        ("label runs past the end", Wire.header() + [10, 0x61, 0x62], "truncated"),
        ("truncated rdata", Wire.header(an: 1) + Wire.question + Array(Wire.record(type: 1, data: [192, 0, 2, 1]).dropLast(2)),
         "truncated"),
        ("A record of 5 bytes", Wire.header(an: 1) + Wire.question + Wire.record(type: 1, data: [1, 2, 3, 4, 5]),
         "bad_record_data"),
        ("MX name overruns its rdata", Wire.header(an: 1) + Wire.question + Wire.record(type: 15, data: [0, 10, 4, 0x61]),
         "truncated"),
        ("answer count larger than the message", Wire.header(an: 65535) + Wire.question, "truncated"),
        ("every count at maximum", Wire.header(qd: 65535, an: 65535, ns: 65535, ar: 65535), "truncated"),
    ]

    @Test(arguments: hostileMessages)
    func hostileMessageFailsWithATypedError(message: (label: String, bytes: [UInt8], error: String)) {
        #expect(throws: DNSWireError.self, "\(message.label)") { try DNSMessage(decoding: message.bytes) }
        do {
            _ = try DNSMessage(decoding: message.bytes)
        } catch {
            #expect(error.shortDescription == message.error, "\(message.label)")
        }
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 16), "::"),
        ([0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], "2001:db8::1:0:0:1"),
        ([0x20, 0x01, 0x0D, 0xB8, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1], "2001:db8:1:0:1:1:1:1"),
        ([UInt8](repeating: 0, count: 15) + [1], "::1"),
        ([UInt8](repeating: 0, count: 10) + [0xFF, 0xFF, 192, 0, 2, 1], "::ffff:192.0.2.1"),
        ([0xFE, 0x80] + [UInt8](repeating: 0, count: 14), "fe80::"),
    ])
    func ipv6AddressesFollowRFC5952(bytes: [UInt8], text: String) {
        #expect(IPv6Presentation.format(bytes) == text)
    }

    @Test(arguments: ["a..b", String(repeating: "x", count: 64) + ".test", "bad\\", "a\\300b"])
    func invalidPresentationNamesAreRejected(name: String) {
        #expect(throws: DNSWireError.self) { try DNSName(name) }
    }

    @Test func namesCompareCaseInsensitivelyAndEscapeSpecialBytes() throws {
        #expect(try DNSName("WWW.Isp.Test") == DNSName("www.isp.test."))
        #expect(try DNSName("a\\.b.test").description == "a\\.b.test.")
        #expect(try DNSName("a\\032b.test").description == "a\\032b.test.")
        #expect(DNSName.root.description == ".")
    }
}
