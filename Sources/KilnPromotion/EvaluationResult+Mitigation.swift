import KilnMetrics
import KilnReport
import KilnEvaluation

extension EvaluationResult {
  /// The card's before-and-after of an evaluation with group thresholds: the same model at its
  /// single threshold against its group thresholds.
  var cardMitigation: ModelCardInput.Mitigation? {
    guard let outcome = mitigation else { return nil }
    let thresholds = outcome.thresholds
    let split = thresholds.fitSplit.map { ", fitted on \($0)" } ?? ""
    return cardMitigation(
      summary: "group thresholds for \(thresholds.grouping) under \(thresholds.constraint.rawValue) (objective \(thresholds.objective.rawValue)\(split))",
      grouping: thresholds.grouping, measure: thresholds.constraint.measure,
      beforeMetrics: outcome.unmitigatedMetrics, beforeFairness: outcome.unmitigatedFairness)
  }

  /// A before-and-after against `beforeMetrics` and `beforeFairness` (the unmitigated model's, on
  /// the same split): accuracy and the named disparities of `grouping` overall, with `measure`
  /// the trade-off's disparity, and its groups' selection, true- and false-positive rates.
  package func cardMitigation(summary: String, grouping: String, measure: FairnessMeasure, beforeMetrics: [String: MetricEstimate],
                              beforeFairness: FairnessReport?) -> ModelCardInput.Mitigation {
    let accuracyMetric = "\(split).accuracy"
    let disparityMetric = "fairness.\(grouping).\(measure.rawValue)"
    var names = [accuracyMetric]
    for other in [measure, .demographicParityDifference, .equalizedOddsDifference, .equalOpportunityDifference]
    where !names.contains("fairness.\(grouping).\(other.rawValue)") {
      names.append("fairness.\(grouping).\(other.rawValue)")
    }
    let overall = names.compactMap { name -> ModelCardInput.Mitigation.Comparison? in
      guard let before = beforeMetrics[name], let after = namedMetrics[name] else { return nil }
      return .init(metric: name, before: before, after: after)
    }
    var byGroup: [ModelCardInput.Mitigation.Comparison] = []
    if let after = fairness?.sections.first(where: { $0.name == grouping }),
       let before = beforeFairness?.sections.first(where: { $0.name == grouping }) {
      for group in after.groups {
        guard let earlier = before.groups.first(where: { $0.name == group.name }) else { continue }
        for metric in [GroupMetric.selectionRate, .truePositiveRate, .falsePositiveRate].map(\.rawValue) {
          guard let was = earlier.metrics[metric], let now = group.metrics[metric] else { continue }
          byGroup.append(.init(metric: metric, group: "\(grouping)=\(group.name)", before: was, after: now))
        }
      }
    }
    return ModelCardInput.Mitigation(summary: summary, accuracyMetric: accuracyMetric, disparityMetric: disparityMetric,
                                     overall: overall, byGroup: byGroup)
  }
}
