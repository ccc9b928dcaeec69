import Testing
import WatchCore

private let badRemoteWriteConfigurations: [BadConfiguration] = [
    BadConfiguration(
        name: "remote_write without a url", yaml: "remote_write:\n  batch_size: 10\n", at: "2:3", field: "remote_write.url",
        says: "missing required key \"url\""),
    BadConfiguration(
        name: "url without a scheme", yaml: "remote_write:\n  url: 127.0.0.1:9090/api/v1/write\n", at: "2:8",
        field: "remote_write.url", says: "is not an http:// or https:// URL"),
    BadConfiguration(
        name: "misspelled key", yaml: "remote_write:\n  url: http://127.0.0.1:9090/api/v1/write\n  batch_sise: 10\n",
        at: "3:3", field: "remote_write.batch_sise", says: "did you mean \"batch_size\"?"),
    BadConfiguration(
        name: "queue too small", yaml: "remote_write:\n  url: http://127.0.0.1:9090/api/v1/write\n  queue_max_bytes: 1KiB\n",
        at: "3:20", field: "remote_write.queue_max_bytes", says: "64KiB or more"),
    BadConfiguration(
        name: "backoff without a unit", yaml: "remote_write:\n  url: http://127.0.0.1:9090/api/v1/write\n  max_backoff: 5\n",
        at: "3:16", field: "remote_write.max_backoff", says: "write 5s"),
    BadConfiguration(
        name: "two kinds of credentials",
        yaml: "remote_write:\n  url: http://127.0.0.1:9090/api/v1/write\n  bearer_token_file: /etc/t\n  basic_auth: {username: u, password_file: /etc/p}\n",
        at: "3:22", field: "remote_write.bearer_token_file", says: "not both"),
]

struct RemoteWriteConfigurationTests {
    @Test(arguments: badRemoteWriteConfigurations)
    func badRemoteWriteIsReportedAtItsLineWithTheField(_ bad: BadConfiguration) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load(yaml: bad.yaml, path: "bad.yaml")
        }
        let issue = try #require(error.issues.first, "no issue for \(bad.name)")
        #expect("\(issue.location.line):\(issue.location.column)" == bad.at, "\(error)")
        #expect(issue.location.file == "bad.yaml")
        #expect(issue.field == bad.field, "\(error)")
        #expect(issue.message.contains(bad.says), "\(error)")
    }

    @Test func aFullRemoteWriteSectionIsDecoded() throws {
        let configuration = try Configuration.load(yaml: """
            remote_write:
              url: http://127.0.0.1:9090/api/v1/write
              queue_max_bytes: 64MiB
              batch_size: 500
              flush_interval: 250ms
              fsync: false
              timeout: 3s
              min_backoff: 50ms
              max_backoff: 2s
              drain_timeout: 10s
              headers: {X-Scope-OrgID: regulator}
              basic_auth: {username: ispwatch, password_file: /etc/ispwatch/rw-password}
            """, path: "a.yaml")
        let settings = try #require(configuration.remoteWrite)
        #expect(settings.url == "http://127.0.0.1:9090/api/v1/write")
        #expect(settings.queueMaximumBytes == 64 << 20)
        #expect(settings.batchSamples == 500)
        #expect(settings.flushInterval == .milliseconds(250))
        #expect(settings.syncEveryAppend == false)
        #expect(settings.timeout == .seconds(3))
        #expect(settings.minimumBackoff == .milliseconds(50))
        #expect(settings.maximumBackoff == .seconds(2))
        #expect(settings.drainTimeout == .seconds(10))
        #expect(settings.headers == ["X-Scope-OrgID": "regulator"])
        #expect(settings.authorization == .basic(username: "ispwatch", passwordFile: "/etc/ispwatch/rw-password"))
        #expect(settings.definedAt?.file == "a.yaml")
    }

    @Test func onlyTheUrlIsRequiredAndTheRestDefaults() throws {
        let settings = try #require(try Configuration.load(
            yaml: "remote_write: {url: \"https://mimir.example/api/v1/push\", bearer_token_file: /run/token}\n",
            path: "a.yaml").remoteWrite)
        #expect(settings == RemoteWriteSettings(url: "https://mimir.example/api/v1/push",
                                                authorization: .bearer(tokenFile: "/run/token"), definedAt: settings.definedAt))
        #expect(try Configuration.load(yaml: "providers: [{id: p}]\n", path: "b.yaml").remoteWrite == nil)
    }

    @Test func twoFilesWithARemoteWriteSectionAreRefused() throws {
        let section = "remote_write: {url: http://127.0.0.1:9090/api/v1/write}\n"
        let error = try #require(throws: ConfigurationError.self) {
            try Configuration.load([ConfigurationSource(path: "a.yaml", text: section),
                                    ConfigurationSource(path: "b.yaml", text: section)])
        }
        #expect(error.issues.contains { $0.location.file == "b.yaml" && $0.message.contains("one receiver") }, "\(error)")
    }
}
