import LiveMetrics
import Testing

@Suite struct MetricsAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9464", "127.0.0.1", 9464),
        ("0.0.0.0:0", "0.0.0.0", 0),
        ("localhost:80", "localhost", 80),
        ("[::1]:9464", "::1", 9464),
        ("[2001:db8::5]:65535", "2001:db8::5", 65535),
    ])
    func parsesHostAndPort(text: String, host: String, port: Int) throws {
        let address = try MetricsAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("127.0.0.1", "the port is missing"),
        (":9464", "the host is missing"),
        ("127.0.0.1:http", "from 0 to 65535"),
        ("127.0.0.1:65536", "from 0 to 65535"),
        ("127.0.0.1:-1", "from 0 to 65535"),
        ("::1:9464", "in brackets"),
        ("[::1:9464", "closing bracket"),
        ("[::1]9464", "the port is missing"),
        ("[127.0.0.1]:9464", "brackets are for IPv6"),
        ("", "the port is missing"),
    ])
    func rejectsWhatIsNotHostColonPort(text: String, reason: String) {
        #expect {
            try MetricsAddress(parsing: text)
        } throws: { error in
            let message = "\(error)"
            return message.contains(reason) && message.contains("\"\(text)\"")
        }
    }

    @Test func defaultIsLoopbackOnly() {
        #expect(MetricsAddress.default.description == "127.0.0.1:9464")
    }
}
