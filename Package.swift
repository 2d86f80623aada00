// swift-tools-version: 6.1
import PackageDescription

// The module chain (imports point only down it):
// StepLocalCLI → StepLocalServer / StepLocalScenarios → StepLocalIntegrations → StepLocalEngine → StepLocalASL → StepLocalIntrinsics → StepLocalJSONPath → StepLocalJSON
// (StepLocalJSONata sits beside StepLocalJSONPath and imports only StepLocalJSON.)
// StepLocalGraph (state machine diagrams: layout, SVG, DOT, Mermaid) imports only StepLocalASL and StepLocalJSON;
// StepLocalServer (the console) and StepLocalCLI (`steplocal graph`) import it.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "StepLocal",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "steplocal", targets: ["StepLocalCLI"]),
        .executable(name: "steplocal-bench", targets: ["StepLocalBench"]),
        .executable(name: "steplocal-ceiling", targets: ["StepLocalCeiling"]),
        .executable(name: "steplocal-fuzz", targets: ["StepLocalFuzz"]),
        .library(name: "StepLocalEngine", targets: ["StepLocalEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .target(name: "StepLocalJSON", swiftSettings: strictSettings),
        .target(name: "StepLocalJSONPath", dependencies: ["StepLocalJSON"], swiftSettings: strictSettings),
        .target(
            name: "StepLocalJSONata",
            dependencies: ["StepLocalJSON", .product(name: "OrderedCollections", package: "swift-collections")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StepLocalIntrinsics",
            dependencies: [
                "StepLocalJSON", "StepLocalJSONPath",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StepLocalASL",
            dependencies: [
                "StepLocalJSON", "StepLocalJSONPath", "StepLocalJSONata", "StepLocalIntrinsics",
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "StepLocalGraph", dependencies: ["StepLocalASL", "StepLocalJSON"], swiftSettings: strictSettings),
        .target(
            name: "StepLocalEngine",
            dependencies: [
                "StepLocalASL", "StepLocalIntrinsics", "StepLocalJSON",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        // Real endpoints (RealEndpoints/): SigV4 signing with swift-crypto, calls with async-http-client.
        .target(
            name: "StepLocalIntegrations",
            dependencies: [
                "StepLocalEngine", "StepLocalASL", "StepLocalIntrinsics", "StepLocalJSON",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StepLocalScenarios",
            dependencies: [
                "StepLocalIntegrations", "StepLocalEngine", "StepLocalASL", "StepLocalJSON",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "StepLocalServer",
            dependencies: [
                "StepLocalIntegrations", "StepLocalEngine", "StepLocalASL", "StepLocalIntrinsics", "StepLocalJSON", "StepLocalGraph",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The web console's page, script and style, compiled into the binary (works offline, static).
            resources: [
                .embedInCode("Console/Assets/index.html"),
                .embedInCode("Console/Assets/console.js"),
                .embedInCode("Console/Assets/console.css"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "StepLocalCLI",
            dependencies: [
                "StepLocalServer", "StepLocalScenarios", "StepLocalIntegrations", "StepLocalEngine", "StepLocalASL", "StepLocalJSON",
                "StepLocalGraph",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "StepLocalBench",
            dependencies: ["StepLocalEngine", "StepLocalASL", "StepLocalJSON", "StepLocalJSONata", "StepLocalGraph"],
            path: "Benchmarks/steplocal-bench",
            swiftSettings: strictSettings
        ),
        // The request path's benchmark ceiling (scripts/bench_server.sh): StepLocal's HTTP server with nothing behind it.
        .executableTarget(
            name: "StepLocalCeiling",
            dependencies: [
                "StepLocalServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Benchmarks/steplocal-ceiling",
            swiftSettings: strictSettings
        ),
        // libFuzzer harness: built only by scripts/fuzz.sh, with -sanitize=fuzzer and -parse-as-library.
        .executableTarget(
            name: "StepLocalFuzz",
            dependencies: ["StepLocalASL", "StepLocalJSON", "StepLocalJSONPath", "StepLocalJSONata"],
            path: "Tests/Fuzz/steplocal-fuzz",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "StepLocalJSONTests", dependencies: ["StepLocalJSON"]),
        .testTarget(name: "StepLocalJSONPathTests", dependencies: ["StepLocalJSONPath", "StepLocalJSON"]),
        // KnownFailures.txt is read from beside the test file, not bundled.
        .testTarget(name: "StepLocalJSONataTests", dependencies: ["StepLocalJSONata", "StepLocalJSON"], exclude: ["KnownFailures.txt"]),
        .testTarget(name: "StepLocalIntrinsicsTests", dependencies: ["StepLocalIntrinsics", "StepLocalJSON"]),
        .testTarget(name: "StepLocalASLTests", dependencies: ["StepLocalASL", "StepLocalJSON"]),
        .testTarget(name: "StepLocalGraphTests", dependencies: ["StepLocalGraph", "StepLocalASL", "StepLocalJSON"], exclude: ["Golden"]),
        // The conformance tests also replay recorded integration cases through StepLocalIntegrations' mocks.
        .testTarget(
            name: "StepLocalEngineTests", dependencies: ["StepLocalEngine", "StepLocalIntegrations", "StepLocalASL", "StepLocalJSON"],
            exclude: ["Conformance/compare_conformance.py", "Conformance/KnownHistoryDetailDifferences.txt", "Conformance/ItemReaderObjects.json"]),
        .testTarget(
            name: "StepLocalIntegrationsTests",
            dependencies: ["StepLocalIntegrations", "StepLocalEngine", "StepLocalASL", "StepLocalJSON"]
        ),
        .testTarget(
            name: "StepLocalScenariosTests",
            dependencies: ["StepLocalScenarios", "StepLocalIntegrations", "StepLocalEngine", "StepLocalASL", "StepLocalJSON"]
        ),
        .testTarget(
            name: "StepLocalServerTests",
            dependencies: [
                "StepLocalServer", "StepLocalIntegrations", "StepLocalEngine", "StepLocalIntrinsics", "StepLocalJSON",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                // To read the data directory's file as a restart would, at a given moment.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
