import Foundation
import KilnData
import KilnMetricDirection
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnTraining
@testable import KilnTuning

/// The resource use the trainer and sweeps record: real measurements, positive and consistent
/// with each other (no timing thresholds: how long a run takes depends on the machine).
@Suite struct ResourceUsageTests {
  static func usage(of runID: String, in layout: ProjectLayout) throws -> ResourceUsage {
    let tracker = try Tracker(storeDirectory: layout.storeDirectory)
    let latest = try tracker.store.latestMetrics(runID: runID).mapValues(\.value)
    let usage = try #require(ResourceUsage(metrics: latest), "run \(runID) recorded no resource use: \(latest.keys.sorted())")
    // The recorded rates are the recorded rows over the recorded times.
    #expect(latest["system.train_samples_per_second"] == usage.trainingSamplesPerSecond)
    #expect(latest["system.samples_per_second"] == usage.samplesPerSecond)
    return usage
  }

  /// Positive, plausible and self-consistent: the rates are the rows over the recorded times.
  static func expectPlausible(_ usage: ResourceUsage, samples: Double) {
    #expect(usage.wallSeconds > 0 && usage.cpuSeconds > 0, "\(usage)")
    #expect(usage.peakResidentBytes > 8 * 1_048_576, "\(usage)")
    #expect(usage.samples == samples, "\(usage)")
    #expect(usage.trainingSeconds > 0 && usage.trainingSeconds <= usage.wallSeconds, "\(usage)")
    #expect(abs((usage.trainingSamplesPerSecond ?? 0) * usage.trainingSeconds - samples) <= 1e-6 * samples)
    #expect(abs((usage.samplesPerSecond ?? 0) * usage.wallSeconds - samples) <= 1e-6 * samples)
  }

  static func trainingRows(_ project: TrainingProject) throws -> Double {
    let dataset = try KilnDataset.open(project.layout.root.appendingPathComponent("datasets/moons.h5"))
    return Double(try #require(dataset.metadata.splitSizes["train"]))
  }

  @Test func aRunRecordsItsWallTimeCPUTimePeakMemoryAndThroughput() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let result = try Trainer.train(try project.configuration(["training.epochs=2"]), layout: project.layout,
                                   options: TrainingOptions(progress: .quiet))
    let usage = try Self.usage(of: result.runID, in: project.layout)
    Self.expectPlausible(usage, samples: 2 * (try Self.trainingRows(project)))
    #expect(usage.ranks == 1 && usage.peakResidentBytesSum == usage.peakResidentBytes && usage.trials == nil)
    // Each epoch's wall time is a curve; together they fit in the run's.
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let epochs = try tracker.metricHistory(runID: result.runID, key: "system.epoch_seconds")
    #expect(epochs.map(\.step) == [1, 2] && epochs.allSatisfy { $0.value > 0 })
    #expect(epochs.map(\.value).reduce(0, +) <= usage.wallSeconds)
  }

  @Test func aFailedRunStillRecordsItsResourceUse() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let configuration = try project.configuration(["training.optimizer={kind: sgd, lr: 1.0e+30}"])
    #expect(throws: TrainingError.self) {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    }
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let run = try #require(try tracker.store.runs(matching: RunQuery()).first)
    #expect(run.status == .failed)
    let usage = try Self.usage(of: run.id, in: project.layout)
    #expect(usage.cpuSeconds > 0 && usage.peakResidentBytes > 8 * 1_048_576 && usage.wallSeconds > 0)
  }

  @Test func resourceMetricsHaveNoDirectionUnlessOneIsStated() {
    // Never mistaken for a model-quality metric by gates, sweeps, early stopping or listings.
    for key in ResourceUsage.Key.allCases.map(\.rawValue) + ["system.epoch_seconds"] {
      #expect(MetricDirection(forMetric: key) == nil, "\(key)")
    }
  }

  @Test func aSweepsTrialsAndItsRunRecordTheirResourceUse() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let file = project.layout.root.appendingPathComponent("experiments/moons.yaml")
    try """
      name: moons
      dataset: datasets/moons.h5
      model: {kind: mlp, hidden: [8], activation: relu}
      training: {epochs: 1, batch_size: 32, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      sweep:
        objective: {metric: validation.roc_auc, direction: maximize}
        sampler: random
        trials: 2
        space:
          training.optimizer.lr: {loguniform: [1.0e-3, 1.0e-1]}
      """.write(to: file, atomically: true, encoding: .utf8)
    let session = try SweepWorkflow.start(experimentFile: file, overrides: [], trials: nil, batchSize: 2,
                                          layout: project.layout, commandLine: [])
    try SweepWorkflow.run(session, parallel: 1, objective: TrainingSweepObjective(session: session), workerArguments: [])
    let runIDs = try session.storage.rows().compactMap(\.runID)
    #expect(runIDs.count == 2)
    let rows = try Self.trainingRows(project)
    let trials = try runIDs.map { try Self.usage(of: $0, in: project.layout) }
    for trial in trials { Self.expectPlausible(trial, samples: rows) }
    let total = try Self.usage(of: session.sweepRunID, in: project.layout)
    #expect(total.trials == 2 && total.samples == 2 * rows)
    #expect(abs(total.cpuSeconds - trials.map(\.cpuSeconds).reduce(0, +)) <= 1e-9 * total.cpuSeconds)
    #expect(total.peakResidentBytes == trials.map(\.peakResidentBytes).max())
    #expect(total.wallSeconds >= trials.map(\.wallSeconds).reduce(0, +), "the trials ran one after the other inside the sweep")
  }
}
