import KilnRandom
/// Seeded, stratified row resampling as multiplicities: each resample draws, within every
/// stratum, as many rows as the stratum holds, uniformly with replacement, and records how many
/// times each row was drawn. With one stratum this is the plain (Efron) bootstrap; with strata
/// by class it keeps every class's support fixed, as `StratifiedBootstrap` keeps each label's.
struct RowResampler {
  /// The rows of each non-empty stratum.
  let strata: [[Int32]]
  let rowCount: Int

  /// Strata given by a dense code per row (`0..<strataCount`).
  init(strataCodes: [Int], strataCount: Int) {
    var rows = [[Int32]](repeating: [], count: strataCount)
    for (row, code) in strataCodes.enumerated() { rows[code].append(Int32(row)) }
    strata = rows.filter { !$0.isEmpty }
    rowCount = strataCodes.count
  }

  /// The strata of the finest cell of `singles` crossed with `classes` (nil: cells alone).
  init(singles: [Grouping], classes: [Int]?, classCount: Int, rowCount: Int) {
    let (cells, cellCount) = BootstrapIntervals.finestCells(singles, rowCount: rowCount)
    let width = max(classCount, 1)
    let codes = (0..<rowCount).map { Int(cells[$0]) * width + (classes?[$0] ?? 0) }
    self.init(strataCodes: codes, strataCount: cellCount * width)
  }

  /// One resample's multiplicities, written into `weights` (`rowCount` entries).
  func drawWeights(into weights: inout [Int32], generator: inout SeededGenerator) {
    for index in weights.indices { weights[index] = 0 }
    for rows in strata {
      let bound = UInt64(rows.count)
      for _ in 0..<rows.count { weights[Int(rows[Int(generator.uniformIndex(below: bound))])] &+= 1 }
    }
  }

  /// The statistics `compute` returns for each of `resamples` resamples.
  func samples(statisticCount: Int, configuration: BootstrapConfiguration, generator: inout SeededGenerator,
               compute: ([Int32]) -> [Double]) -> SampleMatrix {
    var samples = SampleMatrix(statistics: statisticCount, resamples: configuration.resamples)
    var weights = [Int32](repeating: 0, count: rowCount)
    for resample in 0..<configuration.resamples {
      drawWeights(into: &weights, generator: &generator)
      samples.record(compute(weights), resample: resample)
    }
    return samples
  }

  /// Percentile intervals of the statistics `compute` returns for each of `resamples` resamples.
  func intervals(statisticCount: Int, configuration: BootstrapConfiguration, generator: inout SeededGenerator,
                 compute: ([Int32]) -> [Double]) -> [ConfidenceInterval] {
    samples(statisticCount: statisticCount, configuration: configuration, generator: &generator, compute: compute)
      .intervals(level: configuration.confidenceLevel)
  }
}
