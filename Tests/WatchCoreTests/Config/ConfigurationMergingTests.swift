import Testing
import WatchCore

struct ConfigurationMergingTests {
    private let providersFile = ConfigurationSource(path: "providers.yaml", text: """
        vantage: {id: hcm-fpt-1, network: fpt}
        providers:
          - {id: viettel, name: Viettel}
          - {id: vnpt, name: VNPT}
        """)

    @Test func twoFilesConcatenateAndMayReferToEachOthersProviders() throws {
        let targets = ConfigurationSource(path: "targets.yaml", text: """
            defaults: {interval: 1m, timeout: 3s}
            targets:
              - {id: viettel-dns, provider: viettel, dns: {server: 192.0.2.1, query_name: example.vn}}
              - {id: vnpt-portal, provider: vnpt, http: {url: "https://vnpt.example/"}}
            """)
        let configuration = try Configuration.load([providersFile, targets])
        #expect(configuration.vantage?.id == "hcm-fpt-1")
        #expect(configuration.providers.map(\.id) == ["viettel", "vnpt"])
        #expect(configuration.targets.map(\.id) == ["viettel-dns", "vnpt-portal"])
        // Each file's defaults apply to its own targets.
        #expect(configuration.targets.allSatisfy { $0.interval == .seconds(60) && $0.timeout == .seconds(3) })
        #expect(configuration.targets[1].definedAt?.file == "targets.yaml")
        #expect(configuration.series.map(\.vantage) == ["hcm-fpt-1", "hcm-fpt-1"])
    }

    @Test func aDuplicateIdAcrossFilesNamesBothLocations() throws {
        let second = ConfigurationSource(path: "more.yaml", text: """
            providers:
              - {id: cmc}
              - {id: vnpt}
            """)
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load([providersFile, second])
        }
        #expect(error.description == """
            more.yaml:3:10: providers[1].id: provider id "vnpt" is already used at providers.yaml:4:10; \
            ids must be unique across all files
            """)
    }

    @Test func aDuplicateTargetAcrossFilesNamesBothLocations() throws {
        let first = ConfigurationSource(path: "a.yaml", text: """
            providers: [{id: p}]
            targets:
              - {id: t, provider: p, tcp: {host: a.vn, port: 1}}
            """)
        let second = ConfigurationSource(path: "b.yaml", text: """
            targets:
              - {id: u, provider: p, tcp: {host: a.vn, port: 1}}
              - {id: t, provider: p, tcp: {host: a.vn, port: 2}}
            """)
        let error = try #require(throws: ConfigurationError.self) { try Configuration.load([first, second]) }
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.description == """
            b.yaml:3:10: targets[1].id: target id "t" is already used at a.yaml:3:10; ids must be unique across all files
            """)
    }

    @Test func onlyOneFileMayDefineTheVantage() throws {
        let second = ConfigurationSource(path: "other.yaml", text: "vantage: {id: hanoi-vnpt-1}\n")
        let error = try #require(throws: ConfigurationError.self) { try Configuration.load([providersFile, second]) }
        #expect(error.issues.map(\.description) == [
            "other.yaml:1:15: vantage: a vantage is already defined at providers.yaml:1:15; one process is one "
                + "vantage, so only one file may define it",
        ])
    }

    @Test func problemsInSeveralFilesAreAllReported() throws {
        let first = ConfigurationSource(path: "a.yaml", text: "providers: [{id: p, nmae: P}]\n")
        let second = ConfigurationSource(path: "b.yaml", text: "targets: [{id: t, provider: p, tcp: {host: a.vn}}]\n")
        let error = try #require(throws: ConfigurationError.self) { try Configuration.load([first, second]) }
        #expect(error.issues.map(\.location.file) == ["a.yaml", "b.yaml"])
        #expect(error.issues[0].message.contains("did you mean \"name\"?"))
        #expect(error.issues[1].field == "targets[0].tcp.port")
    }

    @Test func mergingTwoLoadedConfigurationsChecksIds() throws {
        let one = try Configuration.load(yaml: "providers: [{id: p}]\n", path: "one.yaml")
        let two = try Configuration.load(yaml: "providers: [{id: q}]\n", path: "two.yaml")
        #expect(try one.merging(two).providers.map(\.id) == ["p", "q"])
        let error = try #require(throws: ConfigurationError.self) { try one.merging(one) }
        #expect(error.issues.count == 1)
    }
}
