import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnTracking
import KilnConfiguration
import KilnTraining

/// A run's model as evaluation needs it: the model, the configuration it was trained with, and
/// the fingerprint of its training dataset.
public struct RunModel<Model: EvaluatedModel> {
  public var model: Model
  public var configuration: ExperimentConfiguration
  public var datasetFingerprint: String

  public init(model: Model, configuration: ExperimentConfiguration, datasetFingerprint: String) {
    self.model = model
    self.configuration = configuration
    self.datasetFingerprint = datasetFingerprint
  }
}

/// `kiln evaluate`: evaluates a tracked run's model on a split of its dataset, logs every named
/// metric to the run, and stores `evaluation.json` as the run's artifact.
public enum EvaluationWorkflow {
  /// Evaluates the run `runID` (or a unique prefix) from its final checkpoint.
  /// - Throws: `TrackingError` for an unknown run (the hint names `kiln runs list`);
  ///   `EvaluationError.missingCheckpoint` when the run has no final checkpoint;
  ///   `EvaluationError.fingerprintMismatch` when the dataset file changed since training;
  ///   `EvaluationError.unknownSensitiveAttribute` for sensitive attributes the dataset lacks.
  public static func evaluate(runID: String, layout: ProjectLayout, split: String = "test") throws -> EvaluationResult {
    try evaluate(runID: runID, layout: layout, split: split) { record in
      let checkpoint = RunDirectory(layout: layout, runID: record.id).finalCheckpoint
      guard FileManager.default.fileExists(atPath: checkpoint.path) else {
        throw EvaluationError(.missingCheckpoint, "run \(record.id) has no final checkpoint (\(checkpoint.path))",
                              hint: "the run may have failed or still be running; see `kiln runs show \(record.id)`, or train again with `kiln train`")
      }
      let trained = try TrainedModel.load(checkpoint: checkpoint)
      return RunModel(model: trained, configuration: trained.configuration, datasetFingerprint: trained.datasetFingerprint)
    }
  }

  /// Evaluates the run `runID` (or a unique prefix of it).
  /// - Parameters:
  ///   - loadModel: reads the run's model; throws `EvaluationError.missingCheckpoint` when it has none.
  /// - Throws: `TrackingError` for an unknown run; `EvaluationError` for a missing checkpoint, a
  ///   dataset whose fingerprint differs from the run's, or unknown sensitive attributes;
  ///   `DatasetError` when the dataset file cannot be read.
  public static func evaluate<Model: EvaluatedModel>(
    runID: String, layout: ProjectLayout, split: String = "test",
    loadModel: (RunRecord) throws -> RunModel<Model>
  ) throws -> EvaluationResult {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let record = try tracker.run(id: runID)
    let loaded = try loadModel(record)
    let dataset = try KilnDataset.open(Trainer.datasetURL(loaded.configuration, layout: layout))
    defer { try? dataset.close() }
    // The run's fingerprint is compared with the one the file records, which must match its content.
    try dataset.verifyContent()
    let evaluator = Evaluator(configuration: loaded.configuration.evaluation, seed: loaded.configuration.training.seed)
    let result = try evaluator.evaluate(loaded.model, on: dataset, split: split, expectedFingerprint: loaded.datasetFingerprint,
                                        runID: record.id)
    try store(result, runID: record.id, tracker: tracker)
    return result
  }

  /// The artifact name of an evaluation: `evaluation.json` for the test split, else
  /// `evaluation-SPLIT.json`.
  public static func artifactName(split: String) -> String { split == "test" ? "evaluation.json" : "evaluation-\(split).json" }

  /// Logs the defined named metrics to the run (step 0) and stores the result as its artifact.
  /// Undefined and NaN values are not logged as numbers; they stay in `evaluation.json` with their
  /// reasons, where gates read them and fail closed.
  static func store(_ result: EvaluationResult, runID: String, tracker: Tracker) throws {
    let now = tracker.clock()
    let points = result.namedMetrics.sorted { $0.key < $1.key }.compactMap { name, estimate in
      estimate.isDefined && estimate.value.isFinite ? MetricPoint(key: name, step: 0, value: estimate.value, timestamp: now) : nil
    }
    try tracker.store.appendMetrics(points, runID: runID)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-evaluation-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent(artifactName(split: result.split))
    try result.storedData().write(to: file, options: .atomic)
    let name = try ArtifactStore.validate(name: artifactName(split: result.split))
    let stored = try tracker.artifactStore.store(file: file)
    try tracker.store.insertArtifact(ArtifactRecord(name: name, sha256: stored.sha256, size: stored.size,
                                                    storagePath: stored.storagePath, loggedTime: now), runID: runID)
  }

  /// The evaluation stored with a run, read back from its artifact.
  /// - Throws: `EvaluationError` when the run has no such artifact or it is not an evaluation.
  public static func storedEvaluation(runID: String, layout: ProjectLayout, split: String = "test") throws -> EvaluationResult {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let record = try tracker.run(id: runID)
    let name = artifactName(split: split)
    guard let artifact = try tracker.store.artifacts(runID: record.id).first(where: { $0.name == name }) else {
      throw EvaluationError(.invalidConfiguration, "run \(record.id) has no \(name) artifact",
                            hint: "evaluate it first with `kiln evaluate --run \(record.id)`")
    }
    let url = tracker.artifactStore.url(for: artifact)
    return try EvaluationResult.decode(try Data(contentsOf: url), source: url.path)
  }
}
