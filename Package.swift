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
    .library(name: "KilnHDF5", targets: ["KilnHDF5"]),
    .library(name: "KilnData", targets: ["KilnData"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
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

    .target(name: "KilnHDF5", dependencies: ["CHDF5"]),
    .target(name: "KilnData", dependencies: [
      "KilnHDF5", "KilnTensor",
      .product(name: "Yams", package: "Yams"),
      .product(name: "Crypto", package: "swift-crypto"),
    ]),

    .target(name: "KilnWorkflows", dependencies: ["KilnTensor", "KilnData"]),

    .executableTarget(name: "kiln", dependencies: [
      "KilnWorkflows",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),
    .executableTarget(name: "KilnDataBenchmarks", dependencies: ["KilnData", "KilnHDF5"],
                      path: "Benchmarks/KilnDataBenchmarks"),

    .testTarget(name: "CShimTests", dependencies: ["COpenBLAS", "CHDF5", "CMPI"]),
    .testTarget(name: "KilnHDF5Tests", dependencies: ["KilnHDF5"]),
    .testTarget(name: "KilnDataTests", dependencies: ["KilnData", "KilnHDF5", "KilnTensor"]),
    .testTarget(name: "KilnWorkflowsTests", dependencies: ["KilnWorkflows"]),
    .testTarget(name: "KilnCLITests", dependencies: ["kiln"]),
  ],
  swiftLanguageModes: [.v5]
)
