// swift-tools-version:6.1
import PackageDescription

/// Release-mode benchmark executables, kept out of the main package so they never slow the
/// main build or its tests. Each prints our figure; the `bench/*.py` scripts run the peer
/// library side by side and print both figures and the ratio.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "MLPlaneBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "mlplane", path: "..")],
    targets: [
        .executableTarget(
            name: "TextEmbeddingBench",
            dependencies: [.product(name: "TextEmbedding", package: "mlplane")],
            path: "Sources/TextEmbeddingBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "CausalEngineBench",
            dependencies: [.product(name: "CausalEngine", package: "mlplane"), .product(name: "StatsKit", package: "mlplane")],
            path: "Sources/CausalEngineBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "VectorIndexBench",
            dependencies: [.product(name: "VectorIndex", package: "mlplane")],
            path: "Sources/VectorIndexBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "BF16GEMMBench",
            dependencies: [.product(name: "TensorCore", package: "mlplane")],
            path: "Sources/BF16GEMMBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "TensorCoreBench",
            dependencies: [.product(name: "TensorCore", package: "mlplane")],
            path: "Sources/TensorCoreBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RadioSimBench",
            dependencies: [.product(name: "RadioSim", package: "mlplane")],
            path: "Sources/RadioSimBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ReinforcementBench",
            dependencies: [.product(name: "Reinforcement", package: "mlplane"), .product(name: "RadioSim", package: "mlplane")],
            path: "Sources/ReinforcementBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "InferenceCodecBench",
            dependencies: [.product(name: "InferenceCodec", package: "mlplane")],
            path: "Sources/InferenceCodecBench",
            swiftSettings: swiftSettings
        ),
    ]
)
