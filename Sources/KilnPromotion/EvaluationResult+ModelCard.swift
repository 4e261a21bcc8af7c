import Foundation
import KilnMetrics
import KilnReport
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension EvaluationResult {
  /// The group metrics a card draws as bars.
  static let cardChartMetrics: [GroupMetric] = [.accuracy, .selectionRate, .truePositiveRate]
  /// The group metrics a card's table lists: every one a gate can name
  /// (`fairness.ATTR.groups.GROUP.METRIC`) but the counts, which the table's `n` shows.
  static let cardTableMetrics = GroupMetric.allCases.filter { $0 != .count && $0 != .positives }

  /// A card whose evaluation fields come from this evaluation, and its curves from the split's
  /// labels and scores; `PromotionWorkflow` fills in the run, the registry and the gates.
  package func cardTemplate(labels: [Int], scores: [Double], classNames: [String], uncertaintyMethod: String,
                    splits: [ModelCardInput.DataDescription]) -> ModelCardInput {
    var card = ModelCardInput(modelName: "", version: 0, generatedTime: Date(), architecture: "",
                              lineage: .init(runID: runID ?? "", gitCommit: nil, configurationHash: "", datasetFingerprint: datasetFingerprint,
                                             checkpointArtifact: "", checkpointSHA256: nil))
    // Empty groups (an intersection cell without rows) stay in: the card lists them as "no rows".
    for section in fairness?.sections ?? [] {
      for group in section.groups {
        for metric in Self.cardTableMetrics {
          guard let estimate = group.metrics[metric.rawValue] else { continue }
          card.groupMetrics.append(.init(attribute: section.name, group: group.name, count: group.count, metric: metric.rawValue, estimate: estimate))
        }
      }
    }
    card.chartedGroupMetrics = Self.cardChartMetrics.map(\.rawValue)
    card.robustness = robustnessCurves()
    card.rocCurve = CardCurves.thinned(CardCurves.rocPoints(labels: labels, scores: scores))
    card.precisionRecallCurve = CardCurves.thinned(CardCurves.precisionRecallPoints(labels: labels, scores: scores))
    card.reliability = CardCurves.reliability(labels: labels, scores: scores)
    if let counts = performance?.counts {
      card.confusion = .init(labels: classNames, counts: [[counts.trueNegatives, counts.falsePositives], [counts.falseNegatives, counts.truePositives]])
    }
    card.decisionThreshold = threshold?.threshold
    card.labelKind = kind.rawValue
    card.uncertaintyMethod = uncertaintyMethod
    card.trainingData = splits.filter { $0.split != split }
    card.evaluationData = splits.filter { $0.split == split }
    return card
  }

  /// Accuracy against perturbation strength, one chart per perturbation kind: overall and per
  /// group, starting from the clean accuracy at strength 0. Groups under the minimum size are left out.
  func robustnessCurves() -> [ModelCardInput.RobustnessCurve] {
    guard let robustness else { return [] }
    var curves: [ModelCardInput.RobustnessCurve] = []
    let kinds = robustness.outcomes.map(\.kind).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    for kind in kinds {
      let outcomes = robustness.outcomes.filter { $0.kind == kind }.sorted { $0.level < $1.level }
      curves.append(.init(perturbation: kind, metric: "accuracy",
                          points: [.init(x: 0, y: robustness.cleanAccuracy)] + outcomes.map { .init(x: $0.level, y: $0.accuracy) }))
      let groups = outcomes.first?.groups.filter { !$0.insufficientData && $0.count > 0 } ?? []
      for group in groups {
        let points = outcomes.compactMap { outcome in
          outcome.groups.first { $0.attribute == group.attribute && $0.group == group.group }.map { ModelCardInput.Point(x: outcome.level, y: $0.accuracy) }
        }
        curves.append(.init(perturbation: kind, group: "\(group.attribute)=\(group.group)", metric: "accuracy",
                            points: [.init(x: 0, y: group.cleanAccuracy)] + points))
      }
    }
    return curves
  }
}
