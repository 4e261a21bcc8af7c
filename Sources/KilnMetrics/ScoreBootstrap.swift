/// Row-level stratified bootstrap for the score metrics (ROC AUC, calibration error), which
/// cannot be recomputed from confusion counts. Strata are the same as `StratifiedBootstrap`'s
/// (finest cell × true label); a resample is a multiplicity per row, kept in score order, and
/// the metrics are recomputed as weighted sums in one sequential pass per grouping.
enum ScoreBootstrap {
  /// The resampler of the score bootstrap: strata are the finest cell × true label, and rows are
  /// numbered by score-order position, so the weights it draws line up with `ranking`'s order.
  static func resampler(ranking: ScoreRanking, cellCodes: [Int32], cellCount: Int) -> RowResampler {
    let sortedCells = ranking.sorted(cellCodes)
    let codes = sortedCells.indices.map { Int(sortedCells[$0]) * 2 + ranking.labels[$0] }
    return RowResampler(strataCodes: codes, strataCount: cellCount * 2)
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
