import Testing
import WatchCore
@testable import WatchServer

/// The `server:` section: tokens as hashes with roles, public pages, limits; mistakes named by file
/// and line like the rest of the configuration.
struct ServerConfigurationTests {
    static let providers = "providers: [{id: viettel}, {id: vnpt}]\n"

    @Test func aServerSectionDecodesTokensRolesPublicPagesAndLimits() throws {
        let hash = SHA256.hexDigest(of: "secret")
        let configuration = try Configuration.load(yaml: Self.providers + """
            server:
              tokens:
                - {hash: "sha256:\(hash)", role: admin, name: regulator}
                - {hash: "sha256:\(hash.uppercased())", role: "provider:vnpt"}
              public_status: [viettel]
              max_request_bytes: 32KiB
              rate_limit: {requests_per_second: 5, burst: 10}
            """, path: "server.yaml")
        let server = try #require(configuration.server)
        #expect(server.tokens.map(\.role) == [.admin, .provider("vnpt")])
        #expect(server.tokens[0].sha256 == SHA256.hash(Array("secret".utf8)) && server.tokens[1].sha256 == server.tokens[0].sha256)
        #expect(server.tokens[0].name == "regulator")
        #expect(server.isPublic("viettel") && !server.isPublic("vnpt"))
        #expect(server.maximumRequestBytes == 32 * 1_024 && server.requestsPerSecond == 5 && server.burst == 10)
        let everyone = try Configuration.load(yaml: Self.providers + "server: {public_status: true}\n", path: "all.yaml")
        #expect(everyone.server?.isPublic("vnpt") == true)
    }

    @Test func mistakesAreNamedByFileAndLine() {
        let cases: [(String, String)] = [
            ("    - {hash: \"secret\", role: admin}", "server.yaml:4:"),
            ("    - {hash: \"sha256:abc\", role: admin}", "64 hex digits"),
            ("    - {hash: \"sha256:\(String(repeating: "a", count: 64))\", role: root}", "admin or provider:<id>"),
            ("    - {hash: \"sha256:\(String(repeating: "a", count: 64))\", role: \"provider:mobifone\"}", "mobifone"),
            ("    - {role: admin}", "hash"),
        ]
        for (line, expected) in cases {
            let yaml = Self.providers + "server:\n  tokens:\n" + line + "\n"
            #expect(throws: ConfigurationError.self, "\(line)") { try Configuration.load(yaml: yaml, path: "server.yaml") }
            do {
                _ = try Configuration.load(yaml: yaml, path: "server.yaml")
            } catch {
                let text = error.issues.map(\.description).joined(separator: "\n")
                #expect(text.contains(expected) && text.contains("server.yaml:4:"), "\(line): \(text)")
            }
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(yaml: Self.providers + "server:\n  public_status: [mobifone]\n", path: "server.yaml")
        }
        #expect(throws: ConfigurationError.self) {
            try Configuration.load(yaml: Self.providers + "server:\n  rate_limit: {requests_per_second: 0}\n", path: "server.yaml")
        }
    }

    @Test func aSecondServerSectionIsRefused() {
        let first = ConfigurationSource(path: "a.yaml", text: Self.providers + "server: {public_status: true}\n")
        let second = ConfigurationSource(path: "b.yaml", text: "server: {public_status: false}\n")
        #expect(throws: ConfigurationError.self) { try Configuration.load([first, second]) }
    }
}
