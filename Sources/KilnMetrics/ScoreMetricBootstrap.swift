import Foundation

/// Stratified percentile-bootstrap intervals for the overall score metrics of a binary model:
/// ROC AUC, average precision, PR AUC, log loss, Brier score, and expected and maximum calibration error.
///
/// Rows are sorted by score once. Each resample draws, within each label stratum, as many rows as
/// the stratum has, with replacement, as a multiplicity per sorted position; the metrics are then
/// weighted sums over that one order: ROC AUC from weighted positives and negatives per group of
/// tied scores (ties count one half, as in `RankingMetrics.rocAUC`), log loss and Brier score as
/// weighted means, average precision and PR AUC from weighted counts per tie group walked from the
/// top score down, calibration error from weighted bins. Cost per resample: O(n), no sorting.
struct ScoreMetricBootstrap {
  private let order: [Int]
  private let sortedScores: [Double]
  private let sortedLabels: [Int]
  private let strata: [[Int]]

  init(labels: [Int], scores: [Double]) {
    precondition(labels.count == scores.count, "ScoreMetricBootstrap: \(labels.count) labels but \(scores.count) scores")
    order = scores.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
    let sortedLabels = order.map { labels[$0] }
    sortedScores = order.map { scores[$0] }
    self.sortedLabels = sortedLabels
    strata = [0, 1].map { label in sortedLabels.indices.filter { sortedLabels[$0] == label } }
  }

  /// Intervals for `roc_auc`, `average_precision`, `pr_auc`, `log_loss`, `brier_score`,
  /// `expected_calibration_error` and `maximum_calibration_error` from `resamples` draws.
  func intervals(resamples: Int, level: Double, calibrationBins: Int,
                 generator: inout Xoshiro256StarStar) -> [String: ConfidenceInterval] {
    var samples: [String: [Double]] = [:]
    var weights = [Int32](repeating: 0, count: sortedScores.count)
    for _ in 0..<resamples {
      for index in weights.indices { weights[index] = 0 }
      for stratum in strata where !stratum.isEmpty {
        let bound = UInt64(stratum.count)
        for _ in 0..<stratum.count { weights[stratum[Int(generator.uniformIndex(below: bound))]] &+= 1 }
      }
      let values = metrics(weights)
      let precision = precisionRecall(weights)
      let calibration = CalibrationMetrics.calibrationErrorsByGroup(
        labels: sortedLabels, probabilities: sortedScores, codes: nil, groupCount: 1, bins: calibrationBins, weights: weights)
      let draws = ["roc_auc": values.auc, "log_loss": values.logLoss, "brier_score": values.brier,
                   "average_precision": precision.averagePrecision, "pr_auc": precision.area,
                   "expected_calibration_error": calibration.expected[0], "maximum_calibration_error": calibration.maximum[0]]
      for (name, value) in draws { samples[name, default: []].append(value) }
    }
    return samples.mapValues { StratifiedBootstrap.percentileInterval($0, level: level) }
  }

  /// Average precision and the trapezoidal PR AUC of one weighted resample, as
  /// `RankingMetrics.averagePrecision` and `precisionRecallAUC` define them on unweighted rows.
  func precisionRecall(_ weights: [Int32]) -> (averagePrecision: Double, area: Double) {
    var positives = 0.0
    for index in sortedLabels.indices where sortedLabels[index] == 1 { positives += Double(weights[index]) }
    guard positives > 0 else { return (.nan, .nan) }
    var truePositives = 0.0, falsePositives = 0.0
    var previousRecall = 0.0, previousPrecision = 1.0, averagePrecision = 0.0, area = 0.0
    var end = sortedScores.count
    while end > 0 {
      var start = end - 1
      while start > 0 && sortedScores[start - 1] == sortedScores[end - 1] { start -= 1 }
      for index in start..<end {
        let weight = Double(weights[index])
        if sortedLabels[index] == 1 { truePositives += weight } else { falsePositives += weight }
      }
      end = start
      // Before the first row present in the resample there is no threshold yet.
      guard truePositives + falsePositives > 0 else { continue }
      let recall = truePositives / positives, precision = truePositives / (truePositives + falsePositives)
      averagePrecision += (recall - previousRecall) * precision
      area += (recall - previousRecall) * (precision + previousPrecision) / 2
      previousRecall = recall
      previousPrecision = precision
    }
    return (averagePrecision, area)
  }

  /// ROC AUC, log loss and Brier score of one weighted resample.
  func metrics(_ weights: [Int32]) -> (auc: Double, logLoss: Double, brier: Double) {
    var negativesBelow = 0.0, concordant = 0.0, positives = 0.0, negatives = 0.0
    var logLoss = 0.0, brier = 0.0, total = 0.0
    var start = 0
    while start < sortedScores.count {
      var end = start
      var groupPositives = 0.0, groupNegatives = 0.0
      while end < sortedScores.count && sortedScores[end] == sortedScores[start] {
        let weight = Double(weights[end])
        if weight > 0 {
          let label = Double(sortedLabels[end])
          let probability = min(max(sortedScores[end], 1e-15), 1 - 1e-15)
          logLoss -= weight * (label * log(probability) + (1 - label) * log(1 - probability))
          brier += weight * (sortedScores[end] - label) * (sortedScores[end] - label)
          total += weight
          if sortedLabels[end] == 1 { groupPositives += weight } else { groupNegatives += weight }
        }
        end += 1
      }
      // Each positive in this group outranks every negative below it and ties half of its group's.
      concordant += groupPositives * (negativesBelow + 0.5 * groupNegatives)
      negativesBelow += groupNegatives
      positives += groupPositives
      negatives += groupNegatives
      start = end
    }
    let auc = positives > 0 && negatives > 0 ? concordant / (positives * negatives) : .nan
    return (auc, logLoss / total, brier / total)
  }
}
