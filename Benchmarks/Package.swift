// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so that the main package's build and tests do not pay for
// package-benchmark. Run from this folder: `swift package benchmark` (see ../docs/BENCHMARKS.md).
let package = Package(
    name: "ispwatch-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // Named explicitly: a path package is otherwise known by its folder name, which depends on
        // where the repository was cloned.
        .package(name: "ispwatch", path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Probers",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Probing", package: "ispwatch"),
                .product(name: "WatchCore", package: "ispwatch"),
            ],
            path: "Benchmarks/Probers",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The series store: append, replay, sealed scan and sealed size. Not named SeriesStore,
        // which is the library module it imports.
        .executableTarget(
            name: "StoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SeriesStore", package: "ispwatch"),
                .product(name: "WatchCore", package: "ispwatch"),
            ],
            path: "Benchmarks/StoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SchedulerBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Scheduling", package: "ispwatch"),
                .product(name: "WatchCore", package: "ispwatch"),
            ],
            path: "Benchmarks/SchedulerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The live metrics: `record` per probe, and render time and size of a 100k-series exposition.
        .executableTarget(
            name: "MetricsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "LiveMetrics", package: "ispwatch"),
                .product(name: "WatchCore", package: "ispwatch"),
            ],
            path: "Benchmarks/MetricsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
