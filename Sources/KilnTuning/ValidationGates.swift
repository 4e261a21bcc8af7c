import Foundation
import KilnData
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// The experiment's gates judged on the validation split, for a sweep trial: gate-aware selection
/// (`kiln pipeline` on a multi-objective sweep) picks among trials by them, so the test split is
/// used only for the final gates.
///
/// Each trial's model is evaluated on the validation split by the test evaluation's own code
/// (`Evaluator`), and every named metric is stored with the trial's run under its validation
/// name: `validation.X` stays, anything else gains `validation.` (`fairness.sex.X` becomes
/// `validation.fairness.sex.X`). A gate is renamed the same way (`test.X` → `validation.X`) and
/// judged on the point value: the intervals of a validation check would need a bootstrap per
/// trial, so `use: ci_upper` and `ci_lower` read the value here. Champion comparisons pass on
/// validation (there is no champion's validation value to compare with); the final gates on
/// test apply them.
public enum ValidationGates {
  /// The artifact of a trial's run that holds its validation metrics.
  public static let artifactName = "sweep/validation-gates.json"

  /// The validation name of an evaluation or gate metric.
  public static func validationName(_ metric: String) -> String {
    if metric.hasPrefix("validation.") { return metric }
    if metric.hasPrefix("test.") { return "validation." + metric.dropFirst("test.".count) }
    return "validation." + metric
  }

  /// `gate` as judged on validation: its metric renamed, its point value compared.
  public static func validationGate(_ gate: Gate) -> Gate {
    var renamed = gate
    renamed.metric = validationName(gate.metric)
    renamed.bound = .value
    return renamed
  }

  /// Evaluates the model of `checkpoint` on the validation split and stores the named metrics
  /// (point values) as the run's `sweep/validation-gates.json`. Does nothing without gates.
  /// - Returns: the stored metrics, by validation name.
  @discardableResult
  public static func measure(_ configuration: ExperimentConfiguration, checkpoint: URL, runID: String,
                             layout: ProjectLayout) throws -> [String: MetricEstimate] {
    guard !(configuration.gates ?? []).isEmpty else { return [:] }
    let model = try TrainedModel.load(checkpoint: checkpoint)
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: layout))
    defer { try? dataset.close() }
    var evaluation = configuration.evaluation ?? EvaluationConfiguration()
    // The point values do not depend on the bootstrap; ten resamples keep each trial cheap.
    evaluation.bootstrap = EvaluationConfiguration.Bootstrap(resamples: 10, confidence: evaluation.bootstrap?.confidence)
    let result = try Evaluator(configuration: evaluation, seed: configuration.training.seed)
      .evaluate(model, on: dataset, split: "validation", expectedFingerprint: model.datasetFingerprint, runID: runID)
    var metrics: [String: MetricEstimate] = [:]
    for (name, estimate) in result.namedMetrics {
      metrics[validationName(name)] = MetricEstimate(value: estimate.value, undefined: estimate.undefined, detail: estimate.detail)
    }
    let tracker = try Tracker(layout: layout)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    try encoder.encode(metrics).write(to: file, options: .atomic)
    let stored = try tracker.artifactStore.store(file: file)
    try tracker.store.insertArtifact(ArtifactRecord(name: artifactName, sha256: stored.sha256, size: stored.size,
                                                    storagePath: stored.storagePath, loggedTime: tracker.clock()), runID: runID)
    return metrics
  }

  /// The validation metrics stored with a trial's run; nil when it has none (a sweep made before
  /// gate-aware selection, or an experiment without gates).
  public static func stored(runID: String, tracker: Tracker) throws -> [String: MetricEstimate]? {
    guard let artifact = try tracker.store.artifacts(runID: runID).last(where: { $0.name == artifactName }) else { return nil }
    let url = tracker.artifactStore.url(for: artifact)
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    do {
      return try decoder.decode([String: MetricEstimate].self, from: try Data(contentsOf: url))
    } catch {
      throw SweepError("run \(runID)'s \(artifactName) cannot be read: \(error.localizedDescription)",
                       hint: "the artifact store may be damaged; run the sweep again")
    }
  }
}
