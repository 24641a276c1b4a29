// swift-tools-version:6.1
// Benchmarks live in this nested package (like swift-nio, swift-kafka-client and swift-prometheus) so
// that the benchmark plugin and its malloc interposer stay out of the root package's `swift test` build.
import PackageDescription

let package = Package(
    name: "driftwatch-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        // The root package. An explicit name keeps `package: "driftwatch"` below valid whatever the
        // checkout directory is called (a path dependency's identity is otherwise its folder name).
        .package(name: "driftwatch", path: "../"),
        .package(
            url: "https://github.com/ordo-one/package-benchmark",
            from: "1.38.1",
            traits: ["MallocInterposer"]
        ),
    ],
    targets: [
        .executableTarget(
            name: "StatsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "DriftStats", package: "driftwatch"),
                .product(name: "DriftTestSupport", package: "driftwatch"),
            ],
            path: "Benchmarks/StatsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
