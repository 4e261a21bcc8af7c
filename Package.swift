// swift-tools-version:6.0
// Kiln: batch training, sweeps, fairness and robustness evaluation, and gated promotion.
// Targets are listed in dependency order; arrows only point down (docs/DESIGN.md).
import PackageDescription

let package = Package(
  name: "Kiln",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "kiln", targets: ["kiln"]),
    .library(name: "KilnTensor", targets: ["KilnTensor"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
  ],
  targets: [
    // C shims, each found by pkg-config and imported by one Swift target.
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                   providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5",
                   providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                   providers: [.apt(["libopenmpi-dev"])]),

    .target(name: "KilnTensor", dependencies: ["COpenBLAS"]),

    .target(name: "KilnTracking", dependencies: [
      .product(name: "GRDB", package: "GRDB.swift"),
      .product(name: "Crypto", package: "swift-crypto"),
    ]),

    .target(name: "KilnWorkflows", dependencies: ["KilnTensor", "KilnTracking"]),

    .executableTarget(name: "kiln", dependencies: [
      "KilnWorkflows",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    .testTarget(name: "CShimTests", dependencies: ["COpenBLAS", "CHDF5", "CMPI"]),
    .testTarget(name: "KilnWorkflowsTests", dependencies: ["KilnWorkflows"]),
    .executableTarget(name: "KilnTrackingStressWorker", dependencies: ["KilnTracking"],
                      path: "Tests/Support/KilnTrackingStressWorker"),
    .testTarget(name: "KilnTrackingTests", dependencies: [
      "KilnTracking", .product(name: "GRDB", package: "GRDB.swift"),
    ]),
    .executableTarget(name: "KilnTrackingBenchmarks", dependencies: [
      "KilnTracking", "KilnWorkflows", .product(name: "GRDB", package: "GRDB.swift"),
    ], path: "Benchmarks/KilnTrackingBenchmarks"),
    .testTarget(name: "KilnCLITests", dependencies: [
      "kiln", "KilnTracking", .product(name: "GRDB", package: "GRDB.swift"),
    ]),
  ],
  swiftLanguageModes: [.v5]
)
