/// Metrics of how well scores rank positives above negatives: ROC AUC, average precision and the
/// area under the precision–recall curve. Labels are in {0, 1}; a higher score means "more positive".
public enum RankingMetrics {
  /// Area under the ROC curve, with tied scores counted as half (Mann–Whitney U / (n₊·n₋);
  /// Hanley & McNeil 1982, doi:10.1148/radiology.143.1.7063747). Equals scikit-learn's
  /// trapezoidal `roc_auc_score`. NaN when only one class is present.
  public static func rocAUC(labels: [Int], scores: [Double]) -> Double {
    precondition(labels.count == scores.count, "rocAUC: \(labels.count) labels but \(scores.count) scores")
    return ScoreRanking(labels: labels, scores: scores).rocAUC(sortedCodes: nil, groupCount: 1)[0]
  }

  /// Row indices sorted by ascending score (ties keep row order).
  static func ascendingOrder(_ scores: [Double]) -> [Int32] {
    precondition(!scores.contains { $0.isNaN }, "ascendingOrder: scores contain NaN")
    var keyed = scores.enumerated().map { (score: $0.element, row: Int32($0.offset)) }
    keyed.sort { $0.score < $1.score || ($0.score == $1.score && $0.row < $1.row) }
    return keyed.map(\.row)
  }

  /// The precision–recall curve over distinct score thresholds, highest first: for each
  /// threshold t, (recall, precision) of predicting 1 when score ≥ t. Empty when no positives.
  static func precisionRecallPoints(labels: [Int], scores: [Double]) -> [(recall: Double, precision: Double)] {
    precondition(labels.count == scores.count, "precisionRecallPoints: \(labels.count) labels but \(scores.count) scores")
    let order = ascendingOrder(scores).reversed().map(Int.init)
    let positives = labels.reduce(0) { $0 + ($1 == 1 ? 1 : 0) }
    guard positives > 0 else { return [] }
    var points: [(recall: Double, precision: Double)] = []
    var truePositives = 0, falsePositives = 0
    for (position, row) in order.enumerated() {
      if labels[row] == 1 { truePositives += 1 } else { falsePositives += 1 }
      let isLastOfTie = position == order.count - 1 || scores[order[position + 1]] != scores[row]
      if isLastOfTie {
        points.append((Double(truePositives) / Double(positives),
                       Double(truePositives) / Double(truePositives + falsePositives)))
      }
    }
    return points
  }

  /// Average precision, AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over thresholds from the highest score down
  /// (R₀ = 0), as scikit-learn's `average_precision_score` (no interpolation). NaN without positives.
  public static func averagePrecision(labels: [Int], scores: [Double]) -> Double {
    let points = precisionRecallPoints(labels: labels, scores: scores)
    guard !points.isEmpty else { return .nan }
    var previousRecall = 0.0, sum = 0.0
    for point in points {
      sum += (point.recall - previousRecall) * point.precision
      previousRecall = point.recall
    }
    return sum
  }

  /// Area under the precision–recall curve by the trapezoidal rule, starting from
  /// (recall 0, precision 1), as scikit-learn's `auc(recall, precision)` over
  /// `precision_recall_curve`. NaN without positives.
  public static func precisionRecallAUC(labels: [Int], scores: [Double]) -> Double {
    let points = precisionRecallPoints(labels: labels, scores: scores)
    guard !points.isEmpty else { return .nan }
    var previous = (recall: 0.0, precision: 1.0), area = 0.0
    for point in points {
      area += (point.recall - previous.recall) * (point.precision + previous.precision) / 2
      previous = point
    }
    return area
  }
}
