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
        .library(name: "DriftTestSupport", targets: ["DriftTestSupport"]),
        .executable(name: "driftwatch", targets: ["driftwatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        .target(name: "DriftStats", swiftSettings: swiftSettings),
        .target(name: "DriftKafka", dependencies: ["CRdKafka"], swiftSettings: swiftSettings),
        .target(name: "DriftJSON", swiftSettings: swiftSettings),
        .target(name: "DriftContracts", dependencies: ["DriftJSON"], swiftSettings: swiftSettings),
        .target(name: "DriftCompare", dependencies: ["DriftStats", "DriftJSON", "CZlib"], swiftSettings: swiftSettings),
        .target(name: "DriftMonitor", dependencies: ["DriftStats", "DriftJSON", "DriftContracts", "DriftKafka"], swiftSettings: swiftSettings),
        .target(name: "DriftTestSupport", dependencies: ["DriftStats", "DriftJSON"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "driftwatch",
            dependencies: [
                "DriftCompare",
                "DriftContracts",
                "DriftKafka",
                "DriftMonitor",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftStatsTests",
            dependencies: ["DriftStats", "DriftTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DriftKafkaTests",
            dependencies: ["DriftKafka", "CRdKafka", "DriftTestSupport"],
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
            dependencies: ["DriftMonitor", "DriftContracts", "DriftJSON", "DriftStats", "DriftKafka", "DriftTestSupport"],
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
