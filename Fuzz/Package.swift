// swift-tools-version:6.1
import Foundation
import PackageDescription

// libFuzzer targets for Driftwatch's parsers and deserializers (docs/fuzzing.md). Build and run them with
// `scripts/fuzz`; each target is an executable whose entry point is `LLVMFuzzerTestOneInput`, so it links
// only with `-sanitize=fuzzer` (libFuzzer supplies `main`).

// A path dependency's identity is its folder's name, which differs between clones: derive it.
let rootIdentity = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

func root(_ name: String) -> Target.Dependency { .product(name: name, package: rootIdentity) }

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// One fuzz target: `Sources/<name>/<name>.swift` defines `LLVMFuzzerTestOneInput`.
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + dependencies,
        swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "DriftwatchFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "../"),
    ],
    targets: [
        .target(name: "FuzzSupport", dependencies: [root("DriftStats")], swiftSettings: swiftSettings),
        fuzzer("fuzz-inference-event", [root("DriftContracts"), root("DriftJSON")]),
        fuzzer("fuzz-feedback-event", [root("DriftContracts"), root("DriftJSON")]),
        fuzzer("fuzz-json", [root("DriftJSON")]),
        // The compare targets reach the tokenizers through `@testable import DriftCompare` (debug builds
        // compile every module with -enable-testing), so no reader had to be made public for fuzzing.
        .target(name: "CompareFuzzing", dependencies: ["FuzzSupport", root("DriftCompare")], swiftSettings: swiftSettings),
        fuzzer("fuzz-compare-csv", ["CompareFuzzing", root("DriftCompare")]),
        fuzzer("fuzz-compare-jsonl", ["CompareFuzzing", root("DriftCompare")]),
        fuzzer("fuzz-sketches", [root("DriftStats")]),
        .target(name: "MonitorFuzzing", dependencies: [root("DriftMonitor"), root("DriftContracts")], swiftSettings: swiftSettings),
        fuzzer("fuzz-partials", ["MonitorFuzzing", root("DriftMonitor"), root("DriftStats")]),
        fuzzer("fuzz-checkpoints", ["MonitorFuzzing", root("DriftMonitor"), root("DriftStats"), root("DriftContracts")]),
        fuzzer("fuzz-reference-profile", ["MonitorFuzzing", root("DriftMonitor"), root("DriftContracts")]),
        fuzzer("fuzz-model-json", [root("DriftLearn"), root("DriftJSON")]),
        fuzzer("fuzz-monitor-config", [root("DriftServer"), root("DriftKafka"), root("DriftMonitor")]),
        fuzzer("fuzz-retrain-config", [root("DriftServer"), root("DriftKafka"), root("DriftRetrain")]),
        // Writes the seed corpora (Fuzz/Corpus) from the project's own encoders; an ordinary executable.
        .executableTarget(
            name: "fuzz-seeds",
            dependencies: [
                "MonitorFuzzing", root("DriftContracts"), root("DriftJSON"), root("DriftStats"), root("DriftMonitor"), root("DriftLearn"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
