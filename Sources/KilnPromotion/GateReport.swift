import Foundation
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// The gates' verdict on one run, with the evidence it rests on.
public struct GateReport: Sendable {
  public var decision: GateDecision
  /// The candidate's metrics the gates read.
  public var metrics: [String: MetricEstimate]
  /// Where the metrics came from: `evaluation.json` or the run's tracked final values.
  public var evidence: String
  /// The champion compared with, if there is one.
  public var champion: ModelVersionRecord?
}

extension PromotionWorkflow {
  /// The run artifact the evaluation writes: a JSON object of metric name → `MetricEstimate`.
  public static let evaluationArtifact = "evaluation.json"

  /// The gate decision over a candidate's metrics; the single place gates are applied, whatever
  /// produced the metrics (the evaluation's `evaluation.json`, or tracked final values).
  public static func decide(run candidate: [String: MetricEstimate], gates: [Gate],
                            champion: [String: MetricEstimate]?) -> GateDecision {
    GateEvaluator().decide(gates: gates, candidate: candidate, champion: champion)
  }

  /// A run's metrics for gating: the named metrics of its `evaluation.json` artifact (written by
  /// `kiln evaluate` and `kiln pipeline`), otherwise its tracked metrics' final values as point
  /// estimates (no intervals, so gates on `ci_lower`/`ci_upper` fail closed).
  public static func metrics(runID: String, tracker: Tracker) throws -> (metrics: [String: MetricEstimate], evidence: String) {
    let artifacts = try tracker.store.artifacts(runID: runID)
    if let artifact = artifacts.first(where: { $0.name == evaluationArtifact }) {
      let url = tracker.artifactStore.url(for: artifact)
      let data = try Data(contentsOf: url)
      // A plain object of metric estimates is accepted too (evaluations made outside Kiln).
      if let plain = try? JSONDecoder().decode([String: MetricEstimate].self, from: data) { return (plain, artifact.name) }
      return (try EvaluationResult.namedMetrics(fromJSON: data, source: url.path), artifact.name)
    }
    let latest = try tracker.store.latestMetrics(runID: runID)
    return (latest.mapValues { MetricEstimate(value: $0.value) }, "tracked final metric values")
  }

  /// Evaluates the run's experiment gates against the model's current champion.
  /// - Parameter rejectWithoutGates: with no gates written, reject (fail closed) instead of throwing.
  static func gateReport(run: RunRecord, configuration: ExperimentConfiguration, model: String,
                         tracker: Tracker, registry: any ModelRegistryStore, rejectWithoutGates: Bool) throws -> GateReport {
    let gates = configuration.gates ?? []
    if gates.isEmpty && rejectWithoutGates {
      let measured = try metrics(runID: run.id, tracker: tracker)
      return GateReport(decision: GateDecision(verdict: .reject, results: []), metrics: measured.metrics,
                        evidence: measured.evidence, champion: try registry.champion(model: model))
    }
    guard !gates.isEmpty else {
      throw PromotionError(.noGates, "experiment '\(configuration.name)' writes no gates: a model is promoted only through written gates",
                           hint: "add a `gates:` list to the experiment file, or override with --force --reason \"…\"")
    }
    let candidate = try metrics(runID: run.id, tracker: tracker)
    let champion = try registry.champion(model: model)
    let championMetrics = try champion.map { try metrics(runID: $0.runID, tracker: tracker).metrics }
    let decision = decide(run: candidate.metrics, gates: gates, champion: championMetrics)
    return GateReport(decision: decision, metrics: candidate.metrics, evidence: candidate.evidence, champion: champion)
  }
}
