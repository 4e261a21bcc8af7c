import KilnRandom
import Foundation

/// Stratified percentile-bootstrap intervals for the overall score metrics of a binary model:
/// ROC AUC, average precision, PR AUC, log loss, Brier score, and expected and maximum calibration error.
///
/// Rows are put in score order once (`ScoreRanking`). Each resample draws, within each label
/// stratum, as many rows as the stratum has, with replacement, as a multiplicity per position; the
/// metrics are then weighted passes over that one order: ROC AUC and calibration error through
/// `ScoreRanking`, log loss and Brier score as weighted means, average precision and PR AUC from
/// weighted counts per tie block walked from the top score down. Cost per resample: O(n), no sorting.
struct ScoreMetricBootstrap {
  let ranking: ScoreRanking
  /// Score-order positions of the label-0 and label-1 rows.
  private let strata: [[Int]]

  init(labels: [Int], scores: [Double]) {
    ranking = ScoreRanking(labels: labels, scores: scores)
    let sortedLabels = ranking.labels
    strata = [0, 1].map { label in sortedLabels.indices.filter { sortedLabels[$0] == label } }
  }

  /// Intervals for `roc_auc`, `average_precision`, `pr_auc`, `log_loss`, `brier_score`,
  /// `expected_calibration_error` and `maximum_calibration_error` from `resamples` draws.
  func intervals(resamples: Int, level: Double, calibrationBins: Int,
                 generator: inout SeededGenerator) -> [String: ConfidenceInterval] {
    var samples: [String: [Double]] = [:]
    var weights = [Int32](repeating: 0, count: ranking.labels.count)
    for _ in 0..<resamples {
      for index in weights.indices { weights[index] = 0 }
      for stratum in strata where !stratum.isEmpty {
        let bound = UInt64(stratum.count)
        for _ in 0..<stratum.count { weights[stratum[Int(generator.uniformIndex(below: bound))]] &+= 1 }
      }
      let draws = values(weights, calibrationBins: calibrationBins)
      for (name, value) in draws { samples[name, default: []].append(value) }
    }
    return samples.mapValues { StratifiedBootstrap.percentileInterval($0, level: level) }
  }

  /// Every score metric of one resample, `weights` giving each score-order position's multiplicity.
  func values(_ weights: [Int32], calibrationBins: Int) -> [String: Double] {
    let means = weightedMeans(weights)
    let precision = precisionRecall(weights)
    let calibration = CalibrationMetrics.calibrationErrorsByGroup(
      labels: ranking.labels, probabilities: ranking.scores, codes: nil, groupCount: 1, bins: calibrationBins, weights: weights)
    return ["roc_auc": ranking.rocAUC(sortedCodes: nil, groupCount: 1, sortedWeights: weights)[0],
            "log_loss": means.logLoss, "brier_score": means.brier,
            "average_precision": precision.averagePrecision, "pr_auc": precision.area,
            "expected_calibration_error": calibration.expected[0], "maximum_calibration_error": calibration.maximum[0]]
  }

  /// Average precision and the trapezoidal PR AUC of one weighted resample, as
  /// `RankingMetrics.averagePrecision` and `precisionRecallAUC` define them on unweighted rows.
  func precisionRecall(_ weights: [Int32]) -> (averagePrecision: Double, area: Double) {
    let labels = ranking.labels, blocks = ranking.blockStarts
    var positives = 0.0
    for index in labels.indices where labels[index] == 1 { positives += Double(weights[index]) }
    guard positives > 0 else { return (.nan, .nan) }
    var truePositives = 0.0, falsePositives = 0.0
    var previousRecall = 0.0, previousPrecision = 1.0, averagePrecision = 0.0, area = 0.0
    for block in stride(from: blocks.count - 2, through: 0, by: -1) {
      for index in Int(blocks[block])..<Int(blocks[block + 1]) {
        let weight = Double(weights[index])
        if labels[index] == 1 { truePositives += weight } else { falsePositives += weight }
      }
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

  /// Log loss and Brier score of one weighted resample.
  func weightedMeans(_ weights: [Int32]) -> (logLoss: Double, brier: Double) {
    var logLoss = 0.0, brier = 0.0, total = 0.0
    for index in ranking.labels.indices where weights[index] > 0 {
      let weight = Double(weights[index]), label = Double(ranking.labels[index]), score = ranking.scores[index]
      let probability = min(max(score, 1e-15), 1 - 1e-15)
      logLoss -= weight * (label * log(probability) + (1 - label) * log(1 - probability))
      brier += weight * (score - label) * (score - label)
      total += weight
    }
    return (logLoss / total, brier / total)
  }
}
