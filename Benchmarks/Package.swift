// swift-tools-version:6.1
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between clones: derive it.
let rootIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "DriftwatchBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "StatsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftStats", package: rootIdentity),
                .product(name: "DriftTestSupport", package: rootIdentity),
                .product(name: "DriftCompare", package: rootIdentity),
            ],
            path: "Benchmarks/StatsBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "KafkaBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftKafka", package: rootIdentity),
            ],
            path: "Benchmarks/KafkaBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MonitorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftContracts", package: rootIdentity),
                .product(name: "DriftMonitor", package: rootIdentity),
                .product(name: "DriftKafka", package: rootIdentity),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/MonitorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "LearnBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DriftLearn", package: rootIdentity),
                .product(name: "DriftCompare", package: rootIdentity),
            ],
            path: "Benchmarks/LearnBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
