import Foundation
import KilnMetrics
import KilnReport

/// A card with every section filled, and a hostile category name in its data.
func sampleCard(hostile: String = "<script>alert(1)</script>", generated: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> ModelCardInput {
  let interval = ConfidenceInterval(lower: 0.81, upper: 0.87, level: 0.95, resamples: 200, undefinedResamples: 0)
  let gates = [Gate(metric: "test.accuracy", threshold: .atLeast(0.8)),
               Gate(metric: "test.roc_auc", threshold: .atLeast(0.95), severity: .warn)]
  let metrics = ["test.accuracy": MetricEstimate(value: 0.84, interval: interval), "test.roc_auc": MetricEstimate(value: 0.9)]
  let decision = GateEvaluator().decide(gates: gates, candidate: metrics, champion: nil)
  return ModelCardInput(
    modelName: "adult-income", version: 3, generatedTime: generated,
    prose: .init(overview: "Predicts income > 50K & flags \(hostile).", owners: ["Data team"], license: "CC-BY-4.0",
                 intendedUses: ["Teaching"], intendedUsers: ["Students"], outOfScopeUses: ["Credit decisions"], factors: ["sex", hostile],
                 ethicalConsiderations: [.init(name: "Historical bias", mitigation: "Gates on disparity")], caveats: ["Census data from 1994"]),
    architecture: "mlp 64 → 64, relu", hyperparameters: ["training.optimizer.lr": "0.001"],
    trainingData: [.init(name: "adult 1", split: "train", rows: 30_000, fingerprint: "abc")],
    evaluationData: [.init(name: "adult 1", split: "test", rows: 15_000, fingerprint: "abc")],
    decisionThreshold: 0.5, uncertaintyMethod: "95% percentile bootstrap, 200 resamples", metrics: metrics,
    groupMetrics: [
      .init(attribute: "sex", group: "Female", count: 5_000, metric: "selection_rate",
            estimate: MetricEstimate(value: 0.1, interval: ConfidenceInterval(lower: 0.09, upper: 0.11, level: 0.95, resamples: 200, undefinedResamples: 0))),
      .init(attribute: "sex", group: hostile, count: 3, metric: "selection_rate", estimate: MetricEstimate(value: .nan, undefined: .insufficientData)),
    ],
    learningCurves: [.init(name: "train.loss", points: [.init(x: 1, y: 0.7), .init(x: 2, y: 0.5)]),
                     .init(name: "validation.accuracy", points: [.init(x: 1, y: 0.8), .init(x: 2, y: 0.84)])],
    rocCurve: [.init(x: 0, y: 0), .init(x: 0.2, y: 0.8), .init(x: 1, y: 1)],
    precisionRecallCurve: [.init(x: 0, y: 1), .init(x: 0.8, y: 0.7), .init(x: 1, y: 0.24)],
    reliability: [.init(meanPredicted: 0.1, observedRate: 0.12, count: 100), .init(meanPredicted: 0.8, observedRate: 0.7, count: 50)],
    robustness: [.init(perturbation: "gaussian_noise", metric: "accuracy", points: [.init(x: 0, y: 0.84), .init(x: 0.2, y: 0.8)]),
                 .init(perturbation: "gaussian_noise", group: hostile, metric: "accuracy", points: [.init(x: 0, y: 0.8), .init(x: 0.2, y: 0.7)])],
    confusion: .init(labels: ["≤50K", hostile], counts: [[900, 100], [80, 220]]),
    decision: decision,
    lineage: .init(runID: "run-123", gitCommit: "c0ffee", configurationHash: "cafe", datasetFingerprint: "abc",
                   checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: "beef"))
}

/// `sampleCard()` after group thresholds, with the unmitigated model's values.
func mitigatedSampleCard() -> ModelCardInput {
  var card = sampleCard()
  let interval = ConfidenceInterval(lower: 0.02, upper: 0.09, level: 0.95, resamples: 200, undefinedResamples: 0)
  card.mitigation = .init(
    summary: "group thresholds for sex under equalized_odds, fitted on validation", accuracyMetric: "test.accuracy",
    disparityMetric: "fairness.sex.equalized_odds_difference",
    overall: [.init(metric: "test.accuracy", before: MetricEstimate(value: 0.85), after: MetricEstimate(value: 0.84)),
              .init(metric: "fairness.sex.equalized_odds_difference", before: MetricEstimate(value: 0.1035),
                    after: MetricEstimate(value: 0.0216, interval: interval))],
    byGroup: [.init(metric: "true_positive_rate", group: "sex=Female", before: MetricEstimate(value: 0.55), after: MetricEstimate(value: 0.61))])
  return card
}
