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
    .library(name: "KilnNN", targets: ["KilnNN"]),
    .library(name: "KilnOptim", targets: ["KilnOptim"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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
    .target(name: "KilnAutograd", dependencies: ["KilnTensor"]),
    .target(name: "KilnNN", dependencies: ["KilnAutograd"]),
    // -fno-math-errno lets square roots in the optimizer loops vectorise (see AdamKernel).
    .target(name: "KilnOptim", dependencies: ["KilnNN"],
            swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),

    .target(name: "KilnWorkflows", dependencies: ["KilnTensor", "KilnOptim"]),

    .executableTarget(name: "kiln", dependencies: [
      "KilnWorkflows",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    .testTarget(name: "CShimTests", dependencies: ["COpenBLAS", "CHDF5", "CMPI"]),
    .testTarget(name: "KilnTensorTests", dependencies: ["KilnTensor"]),
    .testTarget(name: "KilnAutogradTests", dependencies: ["KilnAutograd"]),
    .testTarget(name: "KilnNNTests", dependencies: ["KilnNN"]),
    .testTarget(name: "KilnOptimTests", dependencies: ["KilnOptim"]),
    .executableTarget(name: "KilnBenchmarks", dependencies: ["KilnOptim", "COpenBLAS"],
                      path: "Benchmarks/KilnBenchmarks"),
    .testTarget(name: "KilnWorkflowsTests", dependencies: ["KilnWorkflows"]),
    .testTarget(name: "KilnCLITests", dependencies: ["kiln"]),
  ],
  swiftLanguageModes: [.v5]
)
