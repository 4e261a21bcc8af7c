/// Row-level stratified bootstrap for the score metrics (ROC AUC, calibration error), which
/// cannot be recomputed from confusion counts. Strata are the same as `StratifiedBootstrap`'s
/// (finest cell × true label); a resample is a multiplicity per row, kept in score order, and
/// the metrics are recomputed as weighted sums in one sequential pass per grouping.
struct ScoreBootstrap {
  /// The score-order positions of each stratum's rows.
  let strataRows: [[Int32]]

  init(ranking: ScoreRanking, cellCodes: [Int32], cellCount: Int) {
    let sortedCells = ranking.sorted(cellCodes)
    var rows = [[Int32]](repeating: [], count: cellCount * 2)
    for position in sortedCells.indices {
      rows[Int(sortedCells[position]) * 2 + ranking.labels[position]].append(Int32(position))
    }
    strataRows = rows.filter { !$0.isEmpty }
  }

  /// Draws one resample's multiplicities into `weights` (one entry per score-order position).
  func drawWeights(into weights: inout [Int32], generator: inout SeededGenerator) {
    for index in weights.indices { weights[index] = 0 }
    for rows in strataRows {
      let bound = UInt64(rows.count)
      for _ in 0..<rows.count { weights[Int(rows[Int(generator.uniformIndex(below: bound))])] &+= 1 }
    }
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
