/// Row-level stratified bootstrap for the score metrics (ROC AUC, calibration error), which
/// cannot be recomputed from confusion counts. Strata are the same as `StratifiedBootstrap`'s
/// (finest cell × true label); a resample is a multiplicity per row, and the metrics are
/// recomputed as weighted sums in one pass over the rows in score order per grouping.
struct ScoreBootstrap {
  /// The rows of each stratum.
  let strataRows: [[Int32]]

  init(labels: [Int], cellCodes: [Int32], cellCount: Int) {
    var rows = [[Int32]](repeating: [], count: cellCount * 2)
    for row in labels.indices { rows[Int(cellCodes[row]) * 2 + labels[row]].append(Int32(row)) }
    strataRows = rows.filter { !$0.isEmpty }
  }

  /// Draws one resample's multiplicities into `weights` (one entry per row).
  func drawWeights(into weights: inout [Int32], generator: inout Xoshiro256StarStar) {
    for index in weights.indices { weights[index] = 0 }
    for rows in strataRows {
      let bound = UInt64(rows.count)
      for _ in 0..<rows.count { weights[Int(rows[Int(generator.uniformIndex(below: bound))])] &+= 1 }
    }
  }

  /// Score-metric values for one grouping under `weights`: [metric][group] in
  /// `GroupMetric.scoreBased` order, and the overall values.
  static func groupValues(labels: [Int], scores: [Double], order: [Int32], grouping: Grouping, bins: Int,
                          weights: [Int32]?) -> [[Double]] {
    let auc = RankingMetrics.rocAUCByGroup(labels: labels, scores: scores, codes: grouping.codes,
                                           groupCount: grouping.groupCount, ascendingOrder: order, weights: weights)
    let calibration = CalibrationMetrics.calibrationErrorsByGroup(labels: labels, probabilities: scores, codes: grouping.codes,
                                                                  groupCount: grouping.groupCount, bins: bins, weights: weights)
    return [auc, calibration.expected]
  }

  static func overallValues(labels: [Int], scores: [Double], order: [Int32], bins: Int, weights: [Int32]?) -> [Double] {
    let auc = RankingMetrics.rocAUCByGroup(labels: labels, scores: scores, codes: nil, groupCount: 1,
                                           ascendingOrder: order, weights: weights)[0]
    let calibration = CalibrationMetrics.calibrationErrorsByGroup(labels: labels, probabilities: scores, codes: nil,
                                                                  groupCount: 1, bins: bins, weights: weights).expected[0]
    return [auc, calibration]
  }

  /// Per-group values, and differences and ratios by both methods, shaped as `SectionStatistics`
  /// (no measures).
  static func statistics(groupValues: [[Double]], overall: [Double], included: [Bool]) -> SectionStatistics<Double> {
    let methods = DisparityMethod.allCases
    let difference = groupValues.indices.map { index in
      methods.map { Disparity.difference(groupValues[index], included: included, overall: overall[index], method: $0) }
    }
    let ratio = groupValues.indices.map { index in
      methods.map { Disparity.ratio(groupValues[index], included: included, overall: overall[index], method: $0) }
    }
    return SectionStatistics(byGroup: groupValues, difference: difference, ratio: ratio, measures: [])
  }
}
