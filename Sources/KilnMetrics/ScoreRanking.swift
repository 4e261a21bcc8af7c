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
  /// counted `sortedWeights[position]` times when weights are given. Within a tie block a
  /// positive scores 1 per lower negative of its group and ½ per tied one (Mann–Whitney U).
  func rocAUC(sortedCodes: [Int32]?, groupCount: Int, sortedWeights: [Int32]? = nil) -> [Double] {
    // Accumulators: numerator, negatives below, positives, then the current block's positives
    // and negatives, `groupCount` each. Unsafe buffers keep this loop (run once per grouping
    // and bootstrap resample) free of bounds and uniqueness checks.
    var accumulators = [Double](repeating: 0, count: groupCount * 5)
    let rowCount = labels.count
    let codes = sortedCodes ?? [Int32](repeating: 0, count: rowCount)
    let weights = sortedWeights ?? [Int32](repeating: 1, count: rowCount)
    precondition(codes.count == rowCount && weights.count == rowCount,
                 "ScoreRanking.rocAUC: \(codes.count) codes and \(weights.count) weights for \(rowCount) rows")
    var touched: [Int] = []
    accumulators.withUnsafeMutableBufferPointer { buffer in
      let numerator = buffer.baseAddress!, negativesBelow = numerator + groupCount, positives = numerator + 2 * groupCount
      let blockPositives = numerator + 3 * groupCount, blockNegatives = numerator + 4 * groupCount
      labels.withUnsafeBufferPointer { labels in
        codes.withUnsafeBufferPointer { codes in
          weights.withUnsafeBufferPointer { weights in
            blockStarts.withUnsafeBufferPointer { blockStarts in
              for block in 0..<blockStarts.count - 1 {
                let start = Int(blockStarts[block]), end = Int(blockStarts[block + 1])
                if end - start == 1 {
                  // The common case of a score no other row has: no ties to split.
                  let weight = Double(weights[start]), group = Int(codes[start])
                  if labels[start] == 1 {
                    numerator[group] += weight * negativesBelow[group]
                    positives[group] += weight
                  } else {
                    negativesBelow[group] += weight
                  }
                  continue
                }
                for position in start..<end {
                  let weight = Double(weights[position]), group = Int(codes[position])
                  if weight == 0 { continue }
                  if blockPositives[group] == 0 && blockNegatives[group] == 0 { touched.append(group) }
                  if labels[position] == 1 { blockPositives[group] += weight } else { blockNegatives[group] += weight }
                }
                for group in touched {
                  numerator[group] += blockPositives[group] * (negativesBelow[group] + 0.5 * blockNegatives[group])
                  negativesBelow[group] += blockNegatives[group]
                  positives[group] += blockPositives[group]
                  blockPositives[group] = 0
                  blockNegatives[group] = 0
                }
                touched.removeAll(keepingCapacity: true)
              }
            }
          }
        }
      }
    }
    return (0..<groupCount).map { group in
      let pairs = accumulators[2 * groupCount + group] * accumulators[groupCount + group]
      return pairs == 0 ? .nan : accumulators[group] / pairs
    }
  }

  /// Expected calibration error of each group, in score order (see `CalibrationMetrics`).
  func expectedCalibrationError(sortedCodes: [Int32]?, groupCount: Int, bins: Int, sortedWeights: [Int32]? = nil) -> [Double] {
    CalibrationMetrics.calibrationErrorsByGroup(labels: labels, probabilities: scores, codes: sortedCodes,
                                                groupCount: groupCount, bins: bins, weights: sortedWeights).expected
  }
}
