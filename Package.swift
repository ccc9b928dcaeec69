// swift-tools-version: 6.1
import PackageDescription

// Dependencies are chosen on purpose and kept few: every one costs minutes on a 2-core CI build.
// - swift-nio: the DNS transport (UDP with vector reads, TCP fallback).
// - swift-argument-parser: the `ispwatch` CLI.
// - swift-log: structured logging; libraries take a Logger, only the executable bootstraps.
// - Yams: YAML with source marks, so a bad config line can be named.
// - swift-service-lifecycle: `ispwatch run`'s long-lived parts as services in one group, with
//   graceful shutdown on SIGTERM/SIGINT and the SIGHUP signal stream for reloads.
// - Hummingbird: the HTTP server behind `ispwatch serve` (status pages, SLA API, per-provider access).
// - swift-protobuf (runtime only): Prometheus remote-write's WriteRequest; the Swift generated from
//   Protos/ is committed, so the build needs no protoc and no plugin.
let package = Package(
    name: "ispwatch",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ispwatch", targets: ["ispwatch"]),
        .library(name: "WatchCore", targets: ["WatchCore"]),
        .library(name: "Probing", targets: ["Probing"]),
        .library(name: "SeriesStore", targets: ["SeriesStore"]),
        .library(name: "Scheduling", targets: ["Scheduling"]),
        .library(name: "SLAEngine", targets: ["SLAEngine"]),
        .library(name: "WatchDaemon", targets: ["WatchDaemon"]),
        .library(name: "LiveMetrics", targets: ["LiveMetrics"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Alerting", targets: ["Alerting"]),
        .library(name: "WatchServer", targets: ["WatchServer"]),
        .library(name: "ISPLab", targets: ["ISPLab"]),
        .library(name: "RemoteWrite", targets: ["RemoteWrite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // libcurl. The HTTP prober and the remote-write sender import it.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // epoll, eventfd, recvmmsg and the CMSG macros, which Swift's Glibc module does not expose.
        // Header only; used by the TCP and ICMP probers' event loop (Sources/Probing/Reactor).
        .systemLibrary(name: "CSocketShim"),
        // glibc's <malloc.h>: trimming and the arena cap for the daemon (Sources/WatchDaemon).
        .systemLibrary(name: "CMalloc"),
        // Snappy's block format, which remote-write bodies use (Debian libsnappy-dev).
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .target(
            name: "WatchCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Probing",
            dependencies: [
                "WatchCore",
                "CCurl",
                "CSocketShim",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ispwatch",
            dependencies: [
                "WatchCore",
                "Probing",
                "SeriesStore",
                "WatchDaemon",
                "Scheduling",
                "SLAEngine",
                "LiveMetrics",
                "Reports",
                "Alerting",
                "WatchServer",
                "ISPLab",
                "RemoteWrite",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The append-only store of probe results; its format is specified in docs/FORMAT.md.
        .target(name: "SeriesStore", dependencies: ["WatchCore"]),
        // A writer process the crash test kills with SIGKILL at random moments.
        .executableTarget(name: "store-crash-writer", dependencies: ["SeriesStore", "WatchCore"]),
        // Measures append rate, replay time, bytes per result and scan rate on synthetic history.
        .executableTarget(name: "store-bench", dependencies: ["SeriesStore", "WatchCore"]),
        // When each series is probed and which probes may start now: pure state machines, no I/O, no
        // clock of their own; the daemon drives them with real time, the tests with injected time.
        .target(name: "Scheduling", dependencies: ["WatchCore"]),
        // The aggregation engine: slices, availability, incidents, sketches, quorum, maintenance, SLOs.
        // Pure computation over the store's readers; its rules are written in docs/SLA.md.
        .target(name: "SLAEngine", dependencies: ["WatchCore", "SeriesStore"]),
        // `ispwatch run`'s live figures: the per-series registry, its Prometheus text exposition and the
        // HTTP server for `/metrics` (SwiftNIO's HTTP/1.1 codec, no web framework).
        .target(
            name: "LiveMetrics",
            dependencies: [
                "WatchCore",
                "Scheduling",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "LiveMetricsTests",
            dependencies: [
                "LiveMetrics",
                "WatchCore",
                "Scheduling",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "SLAEngineTests", dependencies: ["SLAEngine", "SeriesStore", "WatchCore"]),
        // Renderers of an SLA result: terminal table, JSON, CSV, HTML with inline SVG charts. They
        // return strings and do no I/O; `ispwatch report` writes them.
        .target(name: "Reports", dependencies: ["SLAEngine", "WatchCore"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "SLAEngine", "WatchCore"]),
        // `ispwatch run`'s engine room: the probe loop driving the scheduler, the probers and the store,
        // vantage health and reloads, as ServiceLifecycle services.
        .target(
            name: "WatchDaemon",
            dependencies: [
                "WatchCore", "Probing", "Scheduling", "SeriesStore", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // Alert rules as value-type state machines fed live results, and their durable delivery
        // (outbox, Alertmanager API v2). SeriesStore only for its CRC32C.
        .target(
            name: "Alerting",
            dependencies: [
                "WatchCore", "SLAEngine", "SeriesStore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `ispwatch serve` (and `run --serve-address`): status pages, the SLA API and per-provider
        // access on Hummingbird. Routes are plain functions of a request, so tests walk them in-process.
        .target(
            name: "WatchServer",
            dependencies: [
                "WatchCore", "SeriesStore", "SLAEngine", "Reports", "Alerting", "LiveMetrics",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "WatchServerTests",
            dependencies: [
                "WatchServer", "WatchCore", "SeriesStore", "SLAEngine", "Alerting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A process the outbox crash test kills with SIGKILL while it appends notifications.
        .executableTarget(name: "alert-outbox-writer", dependencies: ["Alerting", "WatchCore"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "SLAEngine", "WatchCore", "alert-outbox-writer"]),
        // The system OpenSSL (libssl-dev) for the lab's HTTPS portals and its certificates; only ISPLab
        // imports it. swift-nio-ssl would build BoringSSL, minutes on a 2-core machine.
        .systemLibrary(name: "CLabTLS", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        // Simulated providers on loopback (DNS resolver, HTTP and HTTPS portal each) following a timed
        // fault script; used by `ispwatch lab`, `ispwatch demo` and tests (docs/LAB.md).
        .target(
            name: "ISPLab",
            dependencies: [
                "WatchCore", "CLabTLS",
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "ISPLabTests", dependencies: ["ISPLab", "Probing", "WatchCore"]),
        // Prometheus remote-write from `ispwatch run`: probe results as samples, a bounded on-disk
        // queue, and a libcurl sender on its own thread. LiveMetrics for the series labels and the
        // figures /metrics shows; SeriesStore only for its CRC32C.
        .target(
            name: "RemoteWrite",
            dependencies: [
                "WatchCore", "LiveMetrics", "SeriesStore", "CCurl", "CSnappy",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RemoteWriteTests",
            dependencies: ["RemoteWrite", "LiveMetrics", "WatchCore", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "WatchCoreTests", dependencies: ["WatchCore"]),
        .testTarget(name: "SchedulingTests", dependencies: ["Scheduling", "WatchCore"]),
        // Runs the built `ispwatch` binary (found next to the test bundle): executables cannot be
        // imported, and their verbs are what users run.
        .testTarget(name: "ispwatchCLITests", dependencies: ["WatchCore", "SeriesStore"]),
        .testTarget(name: "SeriesStoreTests", dependencies: ["SeriesStore", "WatchCore", "store-crash-writer"]),
        .testTarget(
            name: "ProbingTests",
            dependencies: [
                "Probing",
                "WatchCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)
