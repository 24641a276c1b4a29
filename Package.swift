// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "driftwatch",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DriftStats", targets: ["DriftStats"]),
        .library(name: "DriftCompare", targets: ["DriftCompare"]),
        .library(name: "DriftKafka", targets: ["DriftKafka"]),
        .library(name: "DriftJSON", targets: ["DriftJSON"]),
        .library(name: "DriftContracts", targets: ["DriftContracts"]),
        .library(name: "DriftMonitor", targets: ["DriftMonitor"]),
        .library(name: "DriftLearn", targets: ["DriftLearn"]),
        .library(name: "DriftRegistry", targets: ["DriftRegistry"]),
        .library(name: "DriftRetrain", targets: ["DriftRetrain"]),
        .library(name: "DriftTestSupport", targets: ["DriftTestSupport"]),
        .library(name: "DriftServer", targets: ["DriftServer"]),
        .library(name: "DriftReport", targets: ["DriftReport"]),
        .executable(name: "driftwatch", targets: ["driftwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .target(name: "DriftStats", swiftSettings: swiftSettings),
        .target(name: "DriftKafka", dependencies: ["CRdKafka"], swiftSettings: swiftSettings),
        .target(name: "DriftJSON", swiftSettings: swiftSettings),
        .target(name: "DriftContracts", dependencies: ["DriftJSON"], swiftSettings: swiftSettings),
        .target(name: "DriftLearn", dependencies: ["DriftStats", "DriftJSON", "DriftCompare"], swiftSettings: swiftSettings),
        .target(name: "DriftRegistry", dependencies: ["DriftLearn", "DriftMonitor", "DriftContracts", "DriftJSON", "DriftCompare"], swiftSettings: swiftSettings),
        .target(name: "DriftRetrain", dependencies: ["DriftLearn", "DriftRegistry", "DriftJSON", "DriftMonitor", "DriftContracts", "DriftKafka", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .target(name: "DriftReport", dependencies: ["DriftJSON", "DriftContracts", "DriftStats"], swiftSettings: swiftSettings),
        .target(name: "DriftCompare", dependencies: ["DriftStats", "DriftJSON", "CZlib"], swiftSettings: swiftSettings),
        .target(
            name: "DriftMonitor",
            dependencies: [
                "DriftStats", "DriftJSON", "DriftContracts", "DriftKafka", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DriftServer",
            dependencies: [
                "DriftMonitor", "DriftRetrain", "DriftRegistry", "DriftLearn", "DriftContracts", "DriftKafka", "DriftJSON",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "DriftTestSupport", dependencies: ["DriftStats", "DriftJSON"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "driftwatch",
            dependencies: [
                "DriftCompare",
                "DriftLearn",
                "DriftRegistry",
                "DriftRetrain",
                "DriftContracts",
                "DriftKafka",
                "DriftMonitor",
                "DriftServer",
                "DriftReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            // The services run on jemalloc (Debian's libjemalloc-dev): glibc's arenas fragment under the monitor's
            // mix of window state and batch buffers, and its resident memory grew for as long as traffic flowed
            // (docs/soak.md). MallocTuning checks that it is in place.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "DriftStatsTests",
            dependencies: ["DriftStats", "DriftTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftKafkaTests",
            dependencies: ["DriftKafka", "CRdKafka", "DriftContracts", "DriftJSON", "DriftLearn", "DriftMonitor", "DriftRegistry", "DriftStats", "DriftTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftJSONTests",
            dependencies: ["DriftJSON", "DriftStats"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftContractsTests",
            dependencies: ["DriftContracts", "DriftJSON", "DriftStats", "DriftTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftMonitorTests",
            dependencies: [
                "DriftMonitor", "DriftContracts", "DriftJSON", "DriftStats", "DriftKafka", "DriftTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftServerTests",
            dependencies: [
                "DriftServer", "DriftMonitor", "DriftContracts", "DriftKafka", "DriftTestSupport", "DriftReport", "DriftRegistry", "DriftLearn", "DriftJSON",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftLearnTests",
            dependencies: ["DriftLearn", "DriftCompare", "DriftJSON", "DriftStats"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftRetrainTests",
            dependencies: ["DriftRetrain", "DriftLearn", "DriftRegistry", "DriftMonitor", "DriftJSON", "DriftStats", "DriftTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftRegistryTests",
            dependencies: ["DriftRegistry", "DriftRetrain", "DriftLearn", "DriftCompare", "DriftJSON", "DriftMonitor", "DriftTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftCompareTests",
            dependencies: ["DriftCompare", "DriftJSON", "DriftTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
