import KilnMetrics
import KilnReport
import KilnEvaluation

extension EvaluationResult {
  /// The card's before-and-after of a mitigated evaluation: accuracy and the named disparities
  /// of the mitigated grouping overall, and its groups' selection, true- and false-positive rates.
  var cardMitigation: ModelCardInput.Mitigation? {
    guard let outcome = mitigation else { return nil }
    let thresholds = outcome.thresholds
    let grouping = thresholds.grouping
    let accuracyMetric = "\(split).accuracy"
    let disparityMetric = "fairness.\(grouping).\(thresholds.constraint.measure.rawValue)"
    let measures: [FairnessMeasure] = [thresholds.constraint.measure, .demographicParityDifference, .equalizedOddsDifference,
                                       .equalOpportunityDifference]
    var names = [accuracyMetric]
    for measure in measures where !names.contains("fairness.\(grouping).\(measure.rawValue)") {
      names.append("fairness.\(grouping).\(measure.rawValue)")
    }
    let overall = names.compactMap { name -> ModelCardInput.Mitigation.Comparison? in
      guard let before = outcome.unmitigatedMetrics[name], let after = namedMetrics[name] else { return nil }
      return .init(metric: name, before: before, after: after)
    }
    var byGroup: [ModelCardInput.Mitigation.Comparison] = []
    if let after = fairness?.sections.first(where: { $0.name == grouping }),
       let before = outcome.unmitigatedFairness?.sections.first(where: { $0.name == grouping }) {
      for group in after.groups {
        guard let earlier = before.groups.first(where: { $0.name == group.name }) else { continue }
        for metric in [GroupMetric.selectionRate, .truePositiveRate, .falsePositiveRate].map(\.rawValue) {
          guard let was = earlier.metrics[metric], let now = group.metrics[metric] else { continue }
          byGroup.append(.init(metric: metric, group: "\(grouping)=\(group.name)", before: was, after: now))
        }
      }
    }
    let split = thresholds.fitSplit.map { ", fitted on \($0)" } ?? ""
    return ModelCardInput.Mitigation(
      summary: "group thresholds for \(grouping) under \(thresholds.constraint.rawValue) (objective \(thresholds.objective.rawValue)\(split))",
      accuracyMetric: accuracyMetric, disparityMetric: disparityMetric, overall: overall, byGroup: byGroup)
  }
}
