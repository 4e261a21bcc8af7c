extension ScoreBootstrap {
  /// Several groupings' groups numbered in one space: `groupOfCell[s · cellCount + c]` is the
  /// global index of finest cell c's group in grouping s; grouping s's groups start at `offsets[s]`.
  struct FusedGroups {
    let cellCount: Int
    let groupingCount: Int
    let groupOfCell: [Int32]
    let offsets: [Int]
    let totalGroups: Int

    /// `cellToGroup[s][c]` is cell c's group in grouping s, which has `groupCounts[s]` groups.
    init(cellToGroup: [[Int]], groupCounts: [Int], cellCount: Int) {
      var offsets: [Int] = [], total = 0
      for count in groupCounts {
        offsets.append(total)
        total += count
      }
      var table = [Int32](repeating: 0, count: cellToGroup.count * cellCount)
      for (grouping, map) in cellToGroup.enumerated() {
        for cell in 0..<cellCount { table[grouping * cellCount + cell] = Int32(offsets[grouping] + map[cell]) }
      }
      self.cellCount = cellCount
      groupingCount = cellToGroup.count
      groupOfCell = table
      self.offsets = offsets
      totalGroups = total
    }
  }

  /// ROC AUC of every group of every grouping in one sequential pass over the score order, each
  /// position counted `weights[position]` times: the package's one Mann–Whitney kernel (also behind
  /// `ScoreRanking.rocAUC` and `RankingMetrics.rocAUC`). Within a tie block a positive scores 1 per
  /// lower negative of its group and ½ per tied one, so AUC = U / (n₊·n₋); NaN without both classes.
  static func fusedRocAUC(_ ranking: ScoreRanking, sortedCells: [Int32], groups: FusedGroups, weights: [Int32]) -> [Double] {
    let total = groups.totalGroups, groupingCount = groups.groupingCount, cellCount = groups.cellCount
    var accumulators = [Double](repeating: 0, count: total * 5)
    var touched: [Int] = []
    accumulators.withUnsafeMutableBufferPointer { buffer in
      let numerator = buffer.baseAddress!, negativesBelow = numerator + total, positives = numerator + 2 * total
      let blockPositives = numerator + 3 * total, blockNegatives = numerator + 4 * total
      ranking.labels.withUnsafeBufferPointer { labels in
        sortedCells.withUnsafeBufferPointer { cells in
          weights.withUnsafeBufferPointer { weights in
            groups.groupOfCell.withUnsafeBufferPointer { groupOfCell in
              ranking.blockStarts.withUnsafeBufferPointer { blockStarts in
                for block in 0..<blockStarts.count - 1 {
                  let start = Int(blockStarts[block]), end = Int(blockStarts[block + 1])
                  if end - start == 1 {
                    let weight = weights[start]
                    if weight == 0 { continue }
                    let value = Double(weight), cell = Int(cells[start])
                    if labels[start] == 1 {
                      for grouping in 0..<groupingCount {
                        let group = Int(groupOfCell[grouping * cellCount + cell])
                        numerator[group] += value * negativesBelow[group]
                        positives[group] += value
                      }
                    } else {
                      for grouping in 0..<groupingCount { negativesBelow[Int(groupOfCell[grouping * cellCount + cell])] += value }
                    }
                    continue
                  }
                  for position in start..<end where weights[position] > 0 {
                    let value = Double(weights[position]), cell = Int(cells[position])
                    for grouping in 0..<groupingCount {
                      let group = Int(groupOfCell[grouping * cellCount + cell])
                      if blockPositives[group] == 0 && blockNegatives[group] == 0 { touched.append(group) }
                      if labels[position] == 1 { blockPositives[group] += value } else { blockNegatives[group] += value }
                    }
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
    }
    return (0..<total).map { group in
      let pairs = accumulators[2 * total + group] * accumulators[total + group]
      return pairs == 0 ? .nan : accumulators[group] / pairs
    }
  }

  /// Expected calibration error of every group of every grouping from one pass: weighted sums of
  /// p − y and of weights per (finest cell, bin) are added up per group and bin, then
  /// ECE_g = Σ_b |Σ w·(p − y)| / Σ w.
  static func fusedCalibrationError(_ ranking: ScoreRanking, cellBins: [Int32], bins: Int, groups: FusedGroups,
                                    weights: [Int32]) -> [Double] {
    let cellCount = groups.cellCount
    var gaps = [Double](repeating: 0, count: cellCount * bins)
    var masses = [Double](repeating: 0, count: cellCount * bins)
    gaps.withUnsafeMutableBufferPointer { gaps in
      masses.withUnsafeMutableBufferPointer { masses in
        ranking.labels.withUnsafeBufferPointer { labels in
          ranking.scores.withUnsafeBufferPointer { scores in
            cellBins.withUnsafeBufferPointer { cellBins in
              weights.withUnsafeBufferPointer { weights in
                for position in 0..<labels.count where weights[position] > 0 {
                  let weight = Double(weights[position]), slot = Int(cellBins[position])
                  gaps[slot] += weight * (scores[position] - Double(labels[position]))
                  masses[slot] += weight
                }
              }
            }
          }
        }
      }
    }
    var groupGaps = [Double](repeating: 0, count: groups.totalGroups * bins)
    var groupMasses = [Double](repeating: 0, count: groups.totalGroups)
    for grouping in 0..<groups.groupingCount {
      for cell in 0..<cellCount {
        let group = Int(groups.groupOfCell[grouping * cellCount + cell])
        for bin in 0..<bins {
          groupGaps[group * bins + bin] += gaps[cell * bins + bin]
          groupMasses[group] += masses[cell * bins + bin]
        }
      }
    }
    return (0..<groups.totalGroups).map { group in
      guard groupMasses[group] > 0 else { return .nan }
      var sum = 0.0
      for bin in 0..<bins { sum += abs(groupGaps[group * bins + bin]) }
      return sum / groupMasses[group]
    }
  }

  /// For each score-order position, its finest cell · bins + its score's bin.
  static func cellBins(_ ranking: ScoreRanking, sortedCells: [Int32], bins: Int) -> [Int32] {
    ranking.scores.indices.map { position in
      Int32(Int(sortedCells[position]) * bins + min(max(Int(ranking.scores[position] * Double(bins)), 0), bins - 1))
    }
  }
}
