import Testing
import WatchCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The target files in `targets/` load without a single issue. They are only loaded, never probed.
struct ShippedTargetFilesTests {
    /// `targets/` at the repository root, found from this source file's path.
    private static func source(_ name: String) throws -> ConfigurationSource {
        let repository = URL(filePath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = repository.appending(path: "targets").appending(path: name)
        let text = try String(decoding: Data(contentsOf: url), as: UTF8.self)
        return ConfigurationSource(path: "targets/\(name)", text: text)
    }

    @Test func vietnameseProvidersFileLoads() throws {
        let configuration = try Configuration.load([Self.source("vn-isps.yaml")])
        #expect(Set(configuration.providers.map(\.id)) == ["viettel", "vnpt", "fpt", "mobifone", "cmc"])
        #expect(configuration.vantage == nil)
        // Every provider has its portal probed.
        for provider in configuration.providers {
            #expect(configuration.targets.contains { $0.provider == provider.id && $0.service == "portal" })
        }
    }

    @Test func loopbackExampleLoadsAndStaysOnLoopback() throws {
        let configuration = try Configuration.load([Self.source("example.yaml")])
        #expect(configuration.vantage?.id == "lab-1")
        #expect(configuration.targets.count == 5)
        #expect(configuration.series.count == 5)
        #expect(configuration.vantage?.controls.map(\.id.rawValue) == ["lab-resolver"])
        #expect(configuration.scheduler?.providerLimits.probesPerSecond == 50)
        for target in configuration.targets + (configuration.vantage?.controls ?? []) {
            let host: String = switch target.spec {
            case .dns(let dns): dns.server
            case .http(let http): http.url
            case .tcp(let tcp): tcp.host
            case .icmp(let icmp): icmp.host
            }
            #expect(host.contains("127.0.0.") || host.contains("localhost"), "\(target.id) leaves loopback")
        }
    }

    @Test func theFullExampleInTheConfigurationGuideLoads() throws {
        let guide = try Self.source("../docs/CONFIG.md").text
        let start = try #require(guide.firstRange(of: "```yaml\n"))
        let end = try #require(guide[start.upperBound...].firstRange(of: "```"))
        let configuration = try Configuration.load(
            yaml: String(guide[start.upperBound..<end.lowerBound]), path: "docs/CONFIG.md")
        #expect(configuration.targets.count == 4)
        #expect(configuration.series.count == 5)
    }

    @Test func bothFilesLoadTogether() throws {
        let configuration = try Configuration.load([Self.source("example.yaml"), Self.source("vn-isps.yaml")])
        #expect(configuration.vantage?.id == "lab-1")
        #expect(configuration.providers.count == 6)
    }
}
