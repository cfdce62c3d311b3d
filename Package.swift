// swift-tools-version:6.1
import Foundation
import PackageDescription

/// One settings list for every target: Swift 6 mode plus the upcoming features the
/// house style asks for (explicit `any`, imports that are visible only where declared).
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// Compute libraries are optimised in debug builds too: the test suite trains real models
/// (PPO on CartPole, MiniLM inference), which is 20x slower unoptimised. Debuggability of
/// these few targets is worth less than a test run that fits in CI.
let computeSettings: [SwiftSetting] = swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

/// The causal engine's solver is 8-lane vector code. On an x86-64 Linux build host whose CPU
/// has AVX2 and FMA (every x86-64 server CPU since 2015) it is compiled for that instruction
/// set, 1.15-1.3x faster per L-BFGS-B iteration with bit-identical results (Swift does not
/// contract into fused multiply-adds). Like any `-march=native` build, the binary then needs
/// such a CPU; hosts without one get the portable baseline, and so does any build with
/// `MLPLANE_PORTABLE=1` in the environment (an image built here to run elsewhere).
let hostVectorSettings: [SwiftSetting] = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["MLPLANE_PORTABLE"] != "1",
       let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let flags = cpu.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
       flags.split(separator: " ").contains("avx2"), flags.split(separator: " ").contains("fma") {
        return [.unsafeFlags(["-target-cpu", "haswell"])]
    }
    #endif
    return []
}()

let package = Package(
    name: "mlplane",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mlplane", targets: ["mlplane"]),
        .library(name: "APIServer", targets: ["APIServer"]),
        .library(name: "Platform", targets: ["Platform"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "VectorIndex", targets: ["VectorIndex"]),
        .library(name: "TextEmbedding", targets: ["TextEmbedding"]),
        .library(name: "StatsKit", targets: ["StatsKit"]),
        .library(name: "CausalEngine", targets: ["CausalEngine"]),
        .library(name: "RadioSim", targets: ["RadioSim"]),
        .library(name: "Reinforcement", targets: ["Reinforcement"]),
        .library(name: "InferenceCodec", targets: ["InferenceCodec"]),
    ],
    dependencies: [
        // Without the default ConfigurationSupport trait: we parse flags with ArgumentParser,
        // and swift-configuration would only add build time.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit", from: "1.22.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    ],
    targets: [
        // Layer 0: compute libraries, no I/O beyond the files they are handed.
        // The seeded random generator every compute module shares (reproducible per seed).
        .target(name: "Randomness", swiftSettings: computeSettings),
        // OpenBLAS for GEMM; scripts/setup.sh installs libopenblas-dev (no slow fallback on Linux).
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
        // AVX-512 kernels (bf16 GEMM, softmax, bias+GELU) chosen at run time; optimised in
        // debug too, like the compute targets, so tests run at speed.
        .target(name: "CTensorKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(
            name: "TensorCore",
            dependencies: [
                "Randomness",
                "CTensorKernels",
                .target(name: "COpenBLAS", condition: .when(platforms: [.linux])),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: computeSettings
        ),
        // all-MiniLM-L6-v2 in Swift: WordPiece, the BERT encoder on TensorCore, chunking.
        .target(name: "TextEmbedding", dependencies: ["TensorCore"], swiftSettings: computeSettings),
        // A C shim for the one thing Swift lacks in the HNSW hot loop: a prefetch instruction.
        .target(name: "CVectorIndexShims"),
        .target(name: "VectorIndex", dependencies: ["CVectorIndexShims"], swiftSettings: computeSettings),
        .target(name: "StatsKit", dependencies: ["Randomness"], swiftSettings: computeSettings),
        .target(
            name: "CausalEngine",
            dependencies: ["StatsKit", "TensorCore", .target(name: "COpenBLAS", condition: .when(platforms: [.linux]))],
            swiftSettings: computeSettings + hostVectorSettings
        ),
        .target(name: "RadioSim", dependencies: ["Randomness"], swiftSettings: computeSettings),
        .target(name: "Reinforcement", dependencies: ["RadioSim", "TensorCore"], swiftSettings: computeSettings),
        // Layer 1: SQL over SQLite and PostgreSQL, migrations, artifact store.
        .target(
            name: "Storage",
            dependencies: [
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 2: domain services. No HTTP types here.
        .target(
            name: "Platform",
            dependencies: [
                "Storage",
                "CausalEngine",
                "VectorIndex",
                "TextEmbedding",
                "TensorCore",
                "RadioSim",
                "Reinforcement",
                "StatsKit",
                "Randomness",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 3: wire formats of the serving protocols (Open Inference Protocol with binary
        // tensors, TF-Serving REST), Foundation only, with its own fast JSON reader.
        .target(name: "InferenceCodec", swiftSettings: swiftSettings),
        // Layer 3: the Hummingbird application and its protocol adapters.
        .target(
            name: "APIServer",
            dependencies: [
                "Platform",
                "InferenceCodec",
                "CausalEngine",
                "VectorIndex",
                "Storage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 3: the command-line client (talks to a server over HTTP).
        .target(
            name: "CLIClient",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "mlplane",
            dependencies: [
                "APIServer",
                "Platform",
                "Storage",
                "CLIClient",
                "VectorIndex",
                "TextEmbedding",
                "RadioSim",
                "CausalEngine",
                "Reinforcement",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared test helpers: temporary data directories and the database URLs to test on.
        .target(
            name: "TestSupport",
            dependencies: ["Storage", "Platform", "TensorCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore"], swiftSettings: swiftSettings),
        .testTarget(name: "InferenceCodecTests", dependencies: ["InferenceCodec"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "VectorIndexTests", dependencies: ["VectorIndex", "CVectorIndexShims"], swiftSettings: swiftSettings),
        .testTarget(name: "TextEmbeddingTests", dependencies: ["TextEmbedding", "TensorCore"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "StatsKitTests", dependencies: ["StatsKit"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "CausalEngineTests", dependencies: ["CausalEngine", "RadioSim"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RadioSimTests",
            dependencies: ["RadioSim"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ReinforcementTests",
            dependencies: ["Reinforcement", "RadioSim"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PlatformTests",
            dependencies: ["Platform", "Storage", "TestSupport", "TensorCore", "Reinforcement", "TextEmbedding"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "APIServer", "Platform", "Storage", "TestSupport", "CLIClient", "TensorCore",
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
