/// Rows put in ascending score order once, with their tie blocks, so ROC AUC (per group, and
/// under bootstrap weights) is one sequential pass instead of a scattered one.
struct ScoreRanking {
  /// Labels in ascending score order.
  let labels: [Int]
  /// Scores in ascending order.
  let scores: [Double]
  /// For each row of the input, its position in the order.
  let positionOfRow: [Int32]
  /// Start position of each run of equal scores, followed by the row count.
  let blockStarts: [Int32]

  init(labels: [Int], scores: [Double]) {
    precondition(labels.count == scores.count, "ScoreRanking: \(labels.count) labels but \(scores.count) scores")
    let order = RankingMetrics.ascendingOrder(scores)
    var positionOfRow = [Int32](repeating: 0, count: order.count)
    for (position, row) in order.enumerated() { positionOfRow[Int(row)] = Int32(position) }
    let sortedScores = order.map { scores[Int($0)] }
    var blockStarts: [Int32] = []
    for position in sortedScores.indices where position == 0 || sortedScores[position] != sortedScores[position - 1] {
      blockStarts.append(Int32(position))
    }
    blockStarts.append(Int32(sortedScores.count))
    self.labels = order.map { labels[Int($0)] }
    self.scores = sortedScores
    self.positionOfRow = positionOfRow
    self.blockStarts = blockStarts
  }

  /// Per-row values put in score order.
  func sorted<Value>(_ rowValues: [Value]) -> [Value] {
    var result = rowValues
    for (row, position) in positionOfRow.enumerated() { result[Int(position)] = rowValues[row] }
    return result
  }

  /// ROC AUC of each group (`sortedCodes` in score order, nil for one group), each position
  /// counted `sortedWeights[position]` times when weights are given: the one Mann–Whitney kernel,
  /// `ScoreBootstrap.fusedRocAUC`, over a single grouping whose cells are its groups.
  func rocAUC(sortedCodes: [Int32]?, groupCount: Int, sortedWeights: [Int32]? = nil) -> [Double] {
    let rowCount = labels.count
    let codes = sortedCodes ?? [Int32](repeating: 0, count: rowCount)
    let weights = sortedWeights ?? [Int32](repeating: 1, count: rowCount)
    precondition(codes.count == rowCount && weights.count == rowCount,
                 "ScoreRanking.rocAUC: \(codes.count) codes and \(weights.count) weights for \(rowCount) rows")
    let groups = ScoreBootstrap.FusedGroups(cellToGroup: [Array(0..<groupCount)], groupCounts: [groupCount], cellCount: groupCount)
    return ScoreBootstrap.fusedRocAUC(self, sortedCells: codes, groups: groups, weights: weights)
  }

  /// Expected calibration error of each group, in score order (see `CalibrationMetrics`).
  func expectedCalibrationError(sortedCodes: [Int32]?, groupCount: Int, bins: Int, sortedWeights: [Int32]? = nil) -> [Double] {
    CalibrationMetrics.calibrationErrorsByGroup(labels: labels, probabilities: scores, codes: sortedCodes,
                                                groupCount: groupCount, bins: bins, weights: sortedWeights).expected
  }
}
