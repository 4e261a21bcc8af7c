import Foundation
import KilnMetrics
import KilnReport
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension EvaluationResult {
  /// The per-group metrics a card draws as bars, by label kind (its table lists every other
  /// per-group metric a gate can name after them, but the counts, which the table's `n` shows).
  var cardChartMetrics: [String] {
    switch kind {
    case .binary: return [GroupMetric.accuracy, .selectionRate, .truePositiveRate].map(\.rawValue)
    case .multiclass: return ["accuracy", "macro_f1"]
    case .regression: return ["mae", "rmse", "mean_prediction"]
    }
  }

  /// A card whose evaluation fields come from this evaluation, and its plots from the split's
  /// rows as the head asks: ROC, precision-recall and reliability curves from binary `labels`
  /// and `scores` (and the confusion matrix's `classNames`, else `0`, `1`); predicted-vs-actual
  /// and residual plots from regression `targets` and `predictions` (empty arrays: no plots). `PromotionWorkflow` fills in the run, the registry
  /// and the gates.
  package func cardTemplate(labels: [Int] = [], scores: [Double] = [], classNames: [String] = [], targets: [Double] = [],
                            predictions: [Double] = [], uncertaintyMethod: String, splits: [ModelCardInput.DataDescription]) -> ModelCardInput {
    var card = ModelCardInput(modelName: "", version: 0, generatedTime: Date(), architecture: "",
                              lineage: .init(runID: runID ?? "", gitCommit: nil, configurationHash: "", datasetFingerprint: datasetFingerprint,
                                             checkpointArtifact: "", checkpointSHA256: nil))
    let charted = cardChartMetrics
    let tabled = charted + (fairness?.metrics ?? []).filter { !charted.contains($0) && $0 != "count" && $0 != "positives" }
    // Empty groups (an intersection cell without rows) stay in: the card lists them as "no rows".
    for section in fairness?.sections ?? [] {
      for group in section.groups {
        for metric in tabled {
          guard let estimate = group.metrics[metric] else { continue }
          card.groupMetrics.append(.init(attribute: section.name, group: group.name, count: group.count, metric: metric, estimate: estimate))
        }
      }
    }
    card.chartedGroupMetrics = charted
    card.robustness = robustnessCurves()
    if !scores.isEmpty {
      card.rocCurve = CardCurves.thinned(CardCurves.rocPoints(labels: labels, scores: scores))
      card.precisionRecallCurve = CardCurves.thinned(CardCurves.precisionRecallPoints(labels: labels, scores: scores))
      card.reliability = CardCurves.reliability(labels: labels, scores: scores)
    }
    if let counts = performance?.counts {
      card.confusion = .init(labels: classNames.count == 2 ? classNames : ["0", "1"],
                             counts: [[counts.trueNegatives, counts.falsePositives], [counts.falseNegatives, counts.truePositives]])
    }
    if let multiclass { card.confusion = .init(labels: multiclass.classNames, counts: multiclass.confusionMatrix) }
    if !predictions.isEmpty {
      let pairs = CardCurves.thinnedRows(count: targets.count)
      card.predictedVersusActual = pairs.map { ModelCardInput.Point(x: targets[$0], y: predictions[$0]) }
      card.residuals = pairs.map { ModelCardInput.Point(x: predictions[$0], y: targets[$0] - predictions[$0]) }
    }
    card.decisionThreshold = threshold?.threshold
    card.mitigation = cardMitigation
    card.labelKind = kind.rawValue
    card.uncertaintyMethod = uncertaintyMethod
    card.trainingData = splits.filter { $0.split != split }
    card.evaluationData = splits.filter { $0.split == split }
    return card
  }

  /// The headline metric (accuracy, or RMSE) against perturbation strength, one chart per
  /// perturbation kind: overall and per group, starting from the clean value at strength 0.
  /// Groups under the minimum size are left out.
  func robustnessCurves() -> [ModelCardInput.RobustnessCurve] {
    guard let robustness else { return [] }
    var curves: [ModelCardInput.RobustnessCurve] = []
    let kinds = robustness.outcomes.map(\.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    for kind in kinds {
      let outcomes = robustness.outcomes.filter { $0.kind == kind }.sorted { $0.level < $1.level }
      curves.append(.init(perturbation: kind, metric: robustness.metric,
                          points: [.init(x: 0, y: robustness.clean)] + outcomes.map { .init(x: $0.level, y: $0.value) }))
      let groups = outcomes.first?.groups.filter { !$0.insufficientData && $0.count > 0 } ?? []
      for group in groups {
        let points = outcomes.compactMap { outcome in
          outcome.groups.first { $0.attribute == group.attribute && $0.group == group.group }.map { ModelCardInput.Point(x: outcome.level, y: $0.value) }
        }
        curves.append(.init(perturbation: kind, group: "\(group.attribute)=\(group.group)", metric: robustness.metric,
                            points: [.init(x: 0, y: group.clean)] + points))
      }
    }
    return curves
  }
}
