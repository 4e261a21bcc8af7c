import Foundation
import KilnMetrics
import KilnReport
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension EvaluationResult {
  /// The per-group metrics a multi-class or regression card draws as bars (its table lists
  /// every per-group metric a gate can name, these first).
  static func cardGroupMetricNames(_ kind: String) -> [String] {
    kind == "regression" ? ["mae", "rmse", "mean_prediction"] : ["accuracy", "macro_f1"]
  }

  /// A card template for a multi-class or regression evaluation: per-group tables, the
  /// confusion matrix (multi-class) or predicted-vs-actual and residual plots (regression, from
  /// `targets` and `predictions` of the split), and robustness curves of the headline metric.
  package func labelKindCardTemplate(targets: [Double], predictions: [Double], uncertaintyMethod: String,
                             splits: [ModelCardInput.DataDescription]) -> ModelCardInput {
    var card = ModelCardInput(modelName: "", version: 0, generatedTime: Date(), architecture: "",
                              lineage: .init(runID: runID ?? "", gitCommit: nil, configurationHash: "", datasetFingerprint: datasetFingerprint,
                                             checkpointArtifact: "", checkpointSHA256: nil))
    card.labelKind = kind.rawValue
    let charted = Self.cardGroupMetricNames(kind.rawValue)
    // Empty groups (an intersection cell without rows) stay in: the card lists them as "no rows".
    for section in fairness?.sections ?? [] {
      for group in section.groups {
        let others = group.metrics.keys.filter { !charted.contains($0) && $0 != "count" && $0 != "positives" }.sorted()
        for metric in charted + others {
          guard let estimate = group.metrics[metric] else { continue }
          card.groupMetrics.append(.init(attribute: section.name, group: group.name, count: group.count, metric: metric, estimate: estimate))
        }
      }
    }
    card.chartedGroupMetrics = charted
    if let multiclass { card.confusion = .init(labels: multiclass.classNames, counts: multiclass.confusionMatrix) }
    if kind == .regression {
      let pairs = CardCurves.thinnedRows(count: targets.count)
      card.predictedVersusActual = pairs.map { ModelCardInput.Point(x: targets[$0], y: predictions[$0]) }
      card.residuals = pairs.map { ModelCardInput.Point(x: predictions[$0], y: targets[$0] - predictions[$0]) }
    }
    if let robustness = headlineRobustness {
      let kinds = robustness.outcomes.map(\.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      for perturbation in kinds {
        let outcomes = robustness.outcomes.filter { $0.kind == perturbation }.sorted { $0.level < $1.level }
        card.robustness.append(.init(perturbation: perturbation, metric: robustness.metric,
                                     points: [.init(x: 0, y: robustness.clean)] + outcomes.map { .init(x: $0.level, y: $0.value) }))
        for group in outcomes.first?.groups.filter({ !$0.insufficientData && $0.count > 0 }) ?? [] {
          let points = outcomes.compactMap { outcome in
            outcome.groups.first { $0.attribute == group.attribute && $0.group == group.group }.map { ModelCardInput.Point(x: outcome.level, y: $0.value) }
          }
          card.robustness.append(.init(perturbation: perturbation, group: "\(group.attribute)=\(group.group)", metric: robustness.metric,
                                       points: [.init(x: 0, y: group.clean)] + points))
        }
      }
    }
    card.uncertaintyMethod = uncertaintyMethod
    card.trainingData = splits.filter { $0.split != split }
    card.evaluationData = splits.filter { $0.split == split }
    return card
  }
}
