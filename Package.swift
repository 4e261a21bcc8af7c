// swift-tools-version:6.0
// Kiln: batch training, sweeps, fairness and robustness evaluation, and gated promotion.
// Targets are listed in dependency order; arrows only point down (docs/DESIGN.md).
import PackageDescription

let package = Package(
  name: "Kiln",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "kiln", targets: ["kiln"]),
    .library(name: "KilnRandom", targets: ["KilnRandom"]),
    .library(name: "KilnPaths", targets: ["KilnPaths"]),
    .library(name: "KilnFilter", targets: ["KilnFilter"]),
    .library(name: "KilnCrypto", targets: ["KilnCrypto"]),
    .library(name: "KilnTensor", targets: ["KilnTensor"]),
    .library(name: "KilnNN", targets: ["KilnNN"]),
    .library(name: "KilnOptim", targets: ["KilnOptim"]),
    .library(name: "KilnHDF5", targets: ["KilnHDF5"]),
    .library(name: "KilnData", targets: ["KilnData"]),
    .library(name: "KilnMetrics", targets: ["KilnMetrics"]),
    .library(name: "KilnSweep", targets: ["KilnSweep"]),
    .library(name: "KilnSQLite", targets: ["KilnSQLite"]),
    .library(name: "KilnTracking", targets: ["KilnTracking"]),
    .library(name: "KilnMonitoring", targets: ["KilnMonitoring"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
  ],
  targets: [
    // C shims, each found by pkg-config and imported by one Swift target.
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

    // The seeded generator every module draws from (Foundation only).
    .target(name: "KilnRandom"),
    // The naming rule for names that become paths, and the check that written paths stay inside their root.
    .target(name: "KilnPaths"),
    // The filter language of `runs list --where` and recipes' `filters:` (no dependencies).
    .target(name: "KilnFilter"),
    // SHA-256 and Ed25519 signatures, from the system's OpenSSL (nothing to compile).
    .target(name: "KilnCrypto", dependencies: ["COpenSSL"]),
    // The one binding of the system's SQLite: connections, statements, transactions, migrations.
    .target(name: "KilnSQLite", dependencies: ["CSQLite"]),

    // The numeric core.
    .target(name: "KilnTensor", dependencies: ["COpenBLAS", "KilnRandom"]),
    .target(name: "KilnAutograd", dependencies: ["KilnTensor"]),
    .target(name: "KilnNN", dependencies: ["KilnAutograd"]),
    // -fno-math-errno lets clang turn square roots into instructions, so the optimizer loops vectorise.
    .target(name: "KilnOptim", dependencies: ["KilnNN"],
            swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),

    // Data: the HDF5 wrapper, the dataset format, import, loaders.
    .target(name: "KilnHDF5", dependencies: ["CHDF5", "KilnPaths"]),
    .target(name: "KilnData", dependencies: [
      "KilnHDF5", "KilnTensor", "KilnPaths", "KilnFilter", "KilnCrypto", "CZlib",
      .product(name: "Yams", package: "Yams"),
    ]),

    // Distributed execution.
    .target(name: "KilnDistributed", dependencies: ["CMPI"]),

    // Tensor-free layers: tracking, sweeps, metrics, reports.
    .target(name: "KilnTracking", dependencies: ["KilnPaths", "KilnFilter", "KilnCrypto", "KilnSQLite"]),
    .target(name: "KilnSweep", dependencies: ["KilnRandom"]),
    .target(name: "KilnMetrics", dependencies: ["KilnRandom"]),
    .target(name: "KilnReport", dependencies: ["KilnMetrics", "KilnTracking", "KilnPaths"]),
    .target(name: "KilnMonitoring"),

    // Robustness: perturbations and gradient attacks on a model.
    .target(name: "KilnRobustness", dependencies: ["KilnNN", "KilnData", "KilnMetrics"]),

    // The application layer and the CLI.
    .target(name: "KilnWorkflows", dependencies: [
      "KilnTensor", "KilnOptim", "KilnData", "KilnDistributed", "KilnTracking", "KilnSweep", "KilnMetrics", "KilnReport",
      "KilnRobustness", "KilnMonitoring", "KilnPaths", "KilnCrypto",
      .product(name: "Yams", package: "Yams"),
    ]),
    .executableTarget(name: "kiln", dependencies: [
      "KilnWorkflows", "KilnTensor", "KilnPaths",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    // Tests, and the helper programs they start.
    .testTarget(name: "CShimTests", dependencies: ["COpenBLAS", "CHDF5", "CMPI"]),
    .testTarget(name: "KilnRandomTests", dependencies: ["KilnRandom"]),
    .testTarget(name: "KilnPathsTests", dependencies: ["KilnPaths"]),
    .testTarget(name: "KilnFilterTests", dependencies: ["KilnFilter"]),
    .testTarget(name: "KilnCryptoTests", dependencies: ["KilnCrypto"]),
    .testTarget(name: "KilnSQLiteTests", dependencies: ["KilnSQLite"]),
    .testTarget(name: "KilnTensorTests", dependencies: ["KilnTensor"]),
    .testTarget(name: "KilnAutogradTests", dependencies: ["KilnAutograd"]),
    .testTarget(name: "KilnNNTests", dependencies: ["KilnNN"]),
    .testTarget(name: "KilnOptimTests", dependencies: ["KilnOptim"]),
    .testTarget(name: "KilnHDF5Tests", dependencies: ["KilnHDF5"]),
    .testTarget(name: "KilnDataTests", dependencies: ["KilnData", "KilnHDF5", "KilnTensor", "KilnFilter"]),
    .executableTarget(name: "KilnMPICheck", dependencies: ["KilnDistributed"], path: "Tests/Support/KilnMPICheck"),
    .testTarget(name: "KilnDistributedTests", dependencies: ["KilnDistributed", "KilnMPICheck"]),
    .executableTarget(name: "KilnTrackingStressWorker", dependencies: ["KilnTracking"],
                      path: "Tests/Support/KilnTrackingStressWorker"),
    .testTarget(name: "KilnTrackingTests", dependencies: [
      "KilnTracking", "KilnFilter", "KilnTrackingStressWorker", "KilnSQLite",
    ]),
    .testTarget(name: "KilnSweepTests", dependencies: ["KilnSweep"]),
    .testTarget(name: "KilnMetricsTests", dependencies: ["KilnMetrics"], exclude: ["Fixtures"]),
    .testTarget(name: "KilnRobustnessTests", dependencies: ["KilnRobustness", "KilnOptim", "KilnNN", "KilnData", "KilnMetrics"]),
    .testTarget(name: "KilnReportTests", dependencies: ["KilnReport", "KilnMetrics", "KilnTracking"]),
    .testTarget(name: "KilnMonitoringTests", dependencies: ["KilnMonitoring"]),
    .executableTarget(name: "KilnSweepTestWorker", dependencies: ["KilnWorkflows", "KilnSweep", "KilnDistributed"],
                      path: "Tests/Support/KilnSweepTestWorker"),
    .testTarget(name: "KilnWorkflowsTests", dependencies: ["KilnWorkflows", "KilnReport", "KilnSweepTestWorker"]),
    .testTarget(name: "KilnCLITests", dependencies: [
      "kiln", "KilnFuzz", "KilnTracking", "KilnWorkflows", "KilnData", "KilnHDF5", "KilnMetrics", "KilnSQLite",
    ]),

    // Fuzz harnesses for the user-facing parsers: `make fuzz` builds them for libFuzzer in
    // .build-fuzz; the normal build is a replay program the tests run over the corpora.
    .executableTarget(name: "KilnFuzz", dependencies: ["KilnTracking", "KilnData", "KilnWorkflows"], path: "Fuzz/KilnFuzz"),

    // Benchmarks (make bench), never run by the tests.
    .executableTarget(name: "KilnBenchmarks", dependencies: ["KilnOptim", "COpenBLAS"], path: "Benchmarks/KilnBenchmarks"),
    .executableTarget(name: "KilnDataBenchmarks", dependencies: ["KilnData", "KilnHDF5"], path: "Benchmarks/KilnDataBenchmarks"),
    .executableTarget(name: "KilnTrackingBenchmarks", dependencies: [
      "KilnTracking", "KilnWorkflows", "KilnSQLite",
    ], path: "Benchmarks/KilnTrackingBenchmarks"),
    .executableTarget(name: "KilnSweepBenchmarks", dependencies: ["KilnSweep"], path: "Benchmarks/KilnSweepBenchmarks"),
    .executableTarget(name: "KilnSweepWorkflowBenchmarks", dependencies: ["KilnWorkflows", "KilnSweep"],
                      path: "Benchmarks/KilnSweepWorkflowBenchmarks"),
    .executableTarget(name: "KilnRobustnessBenchmarks", dependencies: ["KilnRobustness", "KilnData", "KilnOptim"],
                      path: "Benchmarks/KilnRobustnessBenchmarks"),
    .executableTarget(name: "KilnMetricsBenchmarks", dependencies: ["KilnMetrics"], path: "Benchmarks/KilnMetricsBenchmarks"),
    .executableTarget(name: "KilnMonitoringBenchmarks", dependencies: ["KilnMonitoring", "KilnWorkflows", "KilnData", "KilnNN", "KilnTensor"],
                      path: "Benchmarks/KilnMonitoringBenchmarks"),
  ],
  swiftLanguageModes: [.v5]
)
