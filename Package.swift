// swift-tools-version:6.0
// Kiln: batch training, sweeps, fairness and robustness evaluation, and gated promotion.
// Targets are listed in dependency order; arrows only point down (docs/DESIGN.md).
import PackageDescription

let package = Package(
  name: "Kiln",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "kiln", targets: ["kiln"]),
    // The browser UI's server (`kiln ui` starts it): its own product, so `kiln` builds without SwiftNIO.
    .executable(name: "kiln-ui", targets: ["KilnUIServer"]),
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
    .library(name: "KilnSQL", targets: ["KilnSQL"]),
    .library(name: "KilnSQLite", targets: ["KilnSQLite"]),
    .library(name: "KilnPostgres", targets: ["KilnPostgres"]),
    .library(name: "KilnTracking", targets: ["KilnTracking"]),
    .library(name: "KilnDrift", targets: ["KilnDrift"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // C shims, each found by pkg-config and imported by one Swift target.
    .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

    // What a command tells its user: the one error shape (what, where, hint, cause) and the one rendering protocol (text, JSON).
    .target(name: "KilnOutput"),
    // The seeded generator every module draws from (Foundation only).
    .target(name: "KilnRandom"),
    // The naming rule for names that become paths, and the check that written paths stay inside their root.
    .target(name: "KilnPaths", dependencies: ["KilnOutput"]),
    // The filter language of `runs list --where` and recipes' `filters:` (no dependencies).
    .target(name: "KilnFilter", dependencies: ["KilnOutput"]),
    // The one table of metric directions (higher or lower is better), for gates, sweeps, training and listings.
    .target(name: "KilnMetricDirection", dependencies: ["KilnOutput"]),
    // The one YAML reader, with limits (Yams' node tree).
    .target(name: "KilnYAML", dependencies: ["KilnOutput", .product(name: "Yams", package: "Yams")]),
    // SHA-256 and Ed25519 signatures, from the system's OpenSSL (nothing to compile).
    .target(name: "KilnCrypto", dependencies: ["COpenSSL"]),
    // What both SQL bindings share, so that a query is written once: values, rows, the
    // connection and database protocols, and the dialect type that holds their differences.
    .target(name: "KilnSQL", dependencies: ["KilnOutput"]),
    // The one binding of the system's SQLite: connections, statements, transactions, migrations.
    .target(name: "KilnSQLite", dependencies: ["CSQLite", "KilnSQL", "KilnOutput"]),
    // The one binding of PostgreSQL's own client library (libpq): connections, parameterised statements, transactions, migrations.
    .target(name: "KilnPostgres", dependencies: ["CLibPQ", "KilnSQL", "KilnOutput"]),

    // The numeric core.
    // The training step's element-wise kernels in C, with a baseline and an AVX2 version each,
    // chosen at load time; without errno on sqrt so that the loops vectorise.
    .target(name: "CKilnKernels", cSettings: [.unsafeFlags(["-fno-math-errno"])]),
    .target(name: "KilnTensor", dependencies: ["COpenBLAS", "CKilnKernels", "KilnRandom"]),
    .target(name: "KilnAutograd", dependencies: ["KilnRandom", "KilnTensor"]),
    .target(name: "KilnNN", dependencies: ["KilnOutput", "KilnTensor", "KilnRandom", "KilnAutograd"]),
    // The optimizers' hyperparameters and their one range rule each; tensor-free, for KilnOptim
    // and the configuration's validation alike.
    .target(name: "KilnHyperparameters"),
    // Its loops take square roots of magnitudes so they vectorise without compiler flags (AdamKernel).
    .target(name: "KilnOptim", dependencies: ["KilnOutput", "KilnTensor", "KilnNN", "KilnHyperparameters", "KilnMetricDirection"]),

    // Data: the HDF5 wrapper, the dataset format, import, loaders.
    .target(name: "KilnHDF5", dependencies: ["KilnOutput", "CHDF5", "KilnPaths"]),
    .target(name: "KilnData", dependencies: ["KilnOutput",
      "KilnRandom", "KilnHDF5", "KilnTensor", "KilnPaths", "KilnFilter", "KilnCrypto", "CZlib",
    ]),
    // Dataset recipes read from YAML (with the schema of allowed keys), and import from a recipe file.
    .target(name: "KilnRecipes", dependencies: ["KilnData", "KilnYAML", "KilnPaths", .product(name: "Yams", package: "Yams")]),

    // Distributed execution.
    .target(name: "KilnDistributed", dependencies: ["KilnOutput", "CMPI"]),

    // Tensor-free layers: tracking, sweeps, metrics, reports.
    .target(name: "KilnTracking", dependencies: ["KilnOutput", "KilnPaths", "KilnFilter", "KilnCrypto", "KilnSQL", "KilnSQLite", "KilnPostgres", "KilnMetricDirection"]),
    .target(name: "KilnSweep", dependencies: ["KilnOutput", "KilnRandom", "KilnMetricDirection"]),
    .target(name: "KilnMetrics", dependencies: ["KilnOutput", "KilnRandom"]),
    .target(name: "KilnReport", dependencies: ["KilnOutput", "KilnMetrics", "KilnTracking", "KilnPaths", "KilnMetricDirection"]),
    .target(name: "KilnDrift"),

    // Robustness: perturbations and gradient attacks on a model.
    .target(name: "KilnRobustness", dependencies: ["KilnOutput", "KilnRandom", "KilnTensor", "KilnAutograd", "KilnNN", "KilnData", "KilnMetrics"]),

    // The application layer, one target per lifecycle stage; arrows point down.
    // The project: its layout, experiment files (schema, strict decoder, defaults) and tracker. Knows no tensors.
    .target(name: "KilnConfiguration", dependencies: ["KilnOutput", 
      "KilnHyperparameters", "KilnYAML", "KilnReport", "KilnDrift", "KilnTracking", "KilnPaths", "KilnCrypto", "KilnMetricDirection",
      "KilnMetrics", .product(name: "Yams", package: "Yams"),
    ]),
    // `kiln runs`: listing, showing, comparing and exporting runs. Knows no tensors.
    .target(name: "KilnRuns", dependencies: ["KilnOutput", "KilnConfiguration", "KilnTracking", "KilnReport", "KilnPaths"]),
    // Datasets and training: the trainer, callbacks, checkpoints, resume, data parallelism.
    .target(name: "KilnTraining", dependencies: ["KilnOutput", "KilnRecipes", 
      "KilnAutograd", "KilnRandom", "KilnConfiguration", "KilnTensor", "KilnNN", "KilnOptim", "KilnData", "KilnHDF5", "KilnDistributed", "KilnTracking",
      "KilnMetrics", "KilnMetricDirection",
    ]),
    // Evaluation of a trained model: metrics with intervals, the fairness audit, robustness.
    .target(name: "KilnEvaluation", dependencies: ["KilnOutput",
      "KilnRandom", "KilnTraining", "KilnConfiguration", "KilnMetrics", "KilnRobustness", "KilnData", "KilnTensor", "KilnTracking",
    ]),
    // Sweeps of experiments: plans, workers, MPI ranks, trial storage.
    .target(name: "KilnTuning", dependencies: ["KilnOutput",
      "KilnTraining", "KilnConfiguration", "KilnSweep", "KilnDistributed", "KilnTracking", "KilnReport", "KilnData", "KilnPaths",
      "KilnMetricDirection", "KilnEvaluation", "KilnMetrics",
    ]),
    // Promotion: gates, governance and approvals, the registry's reports, the audit workflow.
    .target(name: "KilnPromotion", dependencies: ["KilnOutput",
      "KilnEvaluation", "KilnTraining", "KilnConfiguration", "KilnReport", "KilnTracking", "KilnMetrics", "KilnCrypto", "KilnPaths",
    ]),
    // After promotion: batch scoring, drift, performance monitoring, model comparison.
    .target(name: "KilnMonitoring", dependencies: ["KilnOutput",
      "KilnRandom", "KilnEvaluation", "KilnTraining", "KilnConfiguration", "KilnDrift", "KilnData", "KilnHDF5",
      "KilnMetrics", "KilnReport", "KilnTracking", "KilnPaths", "KilnTensor", "KilnMetricDirection",
    ]),
    // The golden path (train, evaluate, gate, register, card, promote) and retraining.
    .target(name: "KilnPipeline", dependencies: ["KilnOutput", "KilnRecipes", 
      "KilnPromotion", "KilnTuning", "KilnEvaluation", "KilnTraining", "KilnConfiguration", "KilnDistributed", "KilnData",
      "KilnMetrics", "KilnReport", "KilnTracking", "KilnTensor", "KilnSweep",
      .product(name: "Yams", package: "Yams"),
    ]),
    .executableTarget(name: "kiln", dependencies: ["KilnOutput",
      "KilnPipeline", "KilnMonitoring", "KilnPromotion", "KilnTuning", "KilnEvaluation", "KilnTraining", "KilnRuns",
      "KilnConfiguration", "KilnTracking", "KilnData", "KilnDistributed", "KilnDrift", "KilnTensor", "KilnPaths",
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    // The browser UI: pages, routes and the request checks, written against the store protocols
    // with no HTTP library; KilnUIServer serves them over Hummingbird as the `kiln-ui` program.
    .target(name: "KilnUI", dependencies: ["KilnOutput", "KilnTracking", "KilnReport", "KilnRuns", "KilnPaths", "KilnCrypto", "KilnSweep", "KilnTuning", "KilnConfiguration", "KilnMetricDirection"]),
    .executableTarget(name: "KilnUIServer", dependencies: ["KilnUI", "KilnOutput",
      .product(name: "Hummingbird", package: "hummingbird"),
      .product(name: "NIOCore", package: "swift-nio"),
      .product(name: "HTTPTypes", package: "swift-http-types"),
      .product(name: "Logging", package: "swift-log"),
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
    ]),

    // Tests, and the helper programs they start.
    .testTarget(name: "CShimTests", dependencies: ["COpenBLAS", "CHDF5", "CMPI"]),
    .testTarget(name: "KilnRandomTests", dependencies: ["KilnRandom"]),
    .testTarget(name: "KilnPathsTests", dependencies: ["KilnPaths"]),
    .testTarget(name: "KilnFilterTests", dependencies: ["KilnFilter"]),
    .testTarget(name: "KilnMetricDirectionTests", dependencies: ["KilnMetricDirection"]),
    .testTarget(name: "KilnYAMLTests", dependencies: ["KilnYAML"]),
    .testTarget(name: "KilnCryptoTests", dependencies: ["KilnCrypto"]),
    .testTarget(name: "KilnSQLiteTests", dependencies: ["KilnSQL", "KilnSQLite"]),
    .testTarget(name: "KilnTensorTests", dependencies: ["KilnRandom", "KilnTensor"]),
    .testTarget(name: "KilnAutogradTests", dependencies: ["KilnTensor", "KilnRandom", "KilnAutograd"]),
    .testTarget(name: "KilnNNTests", dependencies: ["KilnAutograd", "KilnTensor", "KilnRandom", "KilnNN"]),
    .testTarget(name: "KilnOptimTests", dependencies: ["KilnRandom", "KilnAutograd", "KilnTensor", "KilnNN", "KilnOptim"]),
    .testTarget(name: "KilnHDF5Tests", dependencies: ["KilnHDF5"]),
    .testTarget(name: "KilnDataTests", dependencies: ["KilnRecipes", "KilnData", "KilnHDF5"]),
    .executableTarget(name: "KilnMPICheck", dependencies: ["KilnDistributed"], path: "Tests/Support/KilnMPICheck"),
    .testTarget(name: "KilnDistributedTests", dependencies: ["KilnDistributed", "KilnMPICheck"]),
    .executableTarget(name: "KilnTrackingStressWorker", dependencies: ["KilnTracking"],
                      path: "Tests/Support/KilnTrackingStressWorker"),
    .target(name: "KilnPostgresTestServer", dependencies: ["KilnPostgres"], path: "Tests/Support/KilnPostgresTestServer"),
    .testTarget(name: "KilnTrackingTests", dependencies: [
      "KilnTracking", "KilnFilter", "KilnTrackingStressWorker", "KilnSQL", "KilnSQLite", "KilnPostgres", "KilnPostgresTestServer",
    ]),
    .testTarget(name: "KilnSweepTests", dependencies: ["KilnRandom", "KilnSweep", "KilnMetricDirection"]),
    .testTarget(name: "KilnMetricsTests", dependencies: ["KilnRandom", "KilnMetrics"], exclude: ["Fixtures"]),
    .testTarget(name: "KilnRobustnessTests", dependencies: ["KilnAutograd", "KilnTensor", "KilnRandom", "KilnRobustness", "KilnOptim", "KilnNN", "KilnData", "KilnMetrics"]),
    .testTarget(name: "KilnReportTests", dependencies: ["KilnReport", "KilnMetrics", "KilnTracking"]),
    .testTarget(name: "KilnDriftTests", dependencies: ["KilnDrift"]),
    .executableTarget(name: "KilnSweepTestWorker", dependencies: ["KilnTuning", "KilnConfiguration", "KilnSweep", "KilnDistributed"],
                      path: "Tests/Support/KilnSweepTestWorker"),
    .testTarget(name: "KilnWorkflowsTests", dependencies: ["KilnRecipes", "KilnAutograd", "KilnTensor", "KilnRandom", "KilnNN", "KilnConfiguration", "KilnRuns", "KilnTraining", "KilnEvaluation", "KilnTuning", "KilnPromotion", "KilnMonitoring", "KilnPipeline", "KilnReport", "KilnOptim", "KilnSweepTestWorker", "KilnMetricDirection",
      "KilnData", "KilnHDF5", "KilnMetrics", "KilnRobustness", "KilnSweep", "KilnTracking"]),
    .testTarget(name: "KilnUITests", dependencies: ["KilnUI", "KilnUIServer", "KilnTracking", "KilnSweep", "KilnTuning", "KilnConfiguration",
                                                "KilnPostgres", "KilnPostgresTestServer"]),
    .testTarget(name: "KilnCLITests", dependencies: [
      "kiln", "KilnFuzz", "KilnPostgresTestServer", "KilnTracking", "KilnConfiguration", "KilnRuns", "KilnTraining", "KilnEvaluation", "KilnTuning", "KilnPromotion", "KilnMonitoring", "KilnPipeline", "KilnData", "KilnHDF5", "KilnMetrics", "KilnSQLite",
    ]),

    // Fuzz harnesses for the user-facing parsers: `make fuzz` builds them for libFuzzer in
    // .build-fuzz; the normal build is a replay program the tests run over the corpora.
    .executableTarget(name: "KilnFuzz", dependencies: ["KilnRecipes", "KilnTracking", "KilnData", "KilnConfiguration"], path: "Fuzz/KilnFuzz"),

    // Benchmarks (make bench), never run by the tests.
    .executableTarget(name: "KilnBenchmarks", dependencies: ["KilnOptim", "KilnNN", "KilnAutograd", "KilnTensor", "KilnRandom", "COpenBLAS"], path: "Benchmarks/KilnBenchmarks"),
    .executableTarget(name: "KilnDataBenchmarks", dependencies: ["KilnData", "KilnHDF5", "KilnTensor", "KilnRandom"], path: "Benchmarks/KilnDataBenchmarks"),
    .executableTarget(name: "KilnTrackingBenchmarks", dependencies: [
      "KilnTracking", "KilnRuns", "KilnSQL", "KilnSQLite", "KilnPostgres",
    ], path: "Benchmarks/KilnTrackingBenchmarks"),
    .executableTarget(name: "KilnSweepBenchmarks", dependencies: ["KilnSweep"], path: "Benchmarks/KilnSweepBenchmarks"),
    .executableTarget(name: "KilnSweepWorkflowBenchmarks", dependencies: ["KilnTuning", "KilnConfiguration", "KilnSweep"],
                      path: "Benchmarks/KilnSweepWorkflowBenchmarks"),
    .executableTarget(name: "KilnRobustnessBenchmarks", dependencies: ["KilnRobustness", "KilnData", "KilnOptim", "KilnNN", "KilnAutograd", "KilnTensor", "KilnRandom"],
                      path: "Benchmarks/KilnRobustnessBenchmarks"),
    .executableTarget(name: "KilnUIBenchmarks", dependencies: ["KilnUI", "KilnTracking"], path: "Benchmarks/KilnUIBenchmarks"),
    .executableTarget(name: "KilnMetricsBenchmarks", dependencies: ["KilnMetrics"], path: "Benchmarks/KilnMetricsBenchmarks"),
    .executableTarget(name: "KilnMonitoringBenchmarks", dependencies: ["KilnDrift", "KilnMonitoring", "KilnTraining", "KilnConfiguration", "KilnData", "KilnNN", "KilnTensor"],
                      path: "Benchmarks/KilnMonitoringBenchmarks"),
  ],
  swiftLanguageModes: [.v5]
)
