/// Seeded, stratified percentile bootstrap over confusion counts.
///
/// Strata are the cells of the finest grouping (the intersection of every sensitive attribute)
/// split by true label, so every group keeps its size and its number of positive labels in each
/// resample. Drawing nₛ rows with replacement from a stratum of nₛ rows, kₛ of them predicted 1,
/// only matters through how many drawn rows are predicted 1, which is Binomial(nₛ, kₛ/nₛ): that
/// number is drawn exactly (`BinomialSampler`), so a resample costs O(strata), not O(rows).
/// Every threshold metric, per group and overall, and every disparity is then recomputed from
/// the resampled counts. Intervals are the (1−level)/2 and (1+level)/2 percentiles with linear
/// interpolation (Efron & Tibshirani 1993, ch. 13); NaN resamples are left out and counted.
struct StratifiedBootstrap {
  /// Rows with label 1 in each cell, and how many of them are predicted 1.
  let positiveSizes: [Int], positivePredicted: [Int]
  /// Rows with label 0 in each cell, and how many of them are predicted 1.
  let negativeSizes: [Int], negativePredicted: [Int]
  /// Draws of the predicted-1 count of each cell's label-1 and label-0 rows.
  let positiveSamplers: [BinomialSampler], negativeSamplers: [BinomialSampler]

  /// The strata of `cellCodes` (dense, `0..<cellCount`).
  init(labels: [Int], predictions: [Int], cellCodes: [Int32], cellCount: Int) {
    var positiveSizes = [Int](repeating: 0, count: cellCount), positivePredicted = positiveSizes
    var negativeSizes = positiveSizes, negativePredicted = positiveSizes
    for row in labels.indices {
      let cell = Int(cellCodes[row])
      if labels[row] == 1 {
        positiveSizes[cell] += 1
        positivePredicted[cell] += predictions[row]
      } else {
        negativeSizes[cell] += 1
        negativePredicted[cell] += predictions[row]
      }
    }
    self.positiveSizes = positiveSizes
    self.positivePredicted = positivePredicted
    self.negativeSizes = negativeSizes
    self.negativePredicted = negativePredicted
    positiveSamplers = positiveSizes.indices.map {
      BinomialSampler(trials: positiveSizes[$0], probability: positiveSizes[$0] == 0 ? 0 : Double(positivePredicted[$0]) / Double(positiveSizes[$0]))
    }
    negativeSamplers = negativeSizes.indices.map {
      BinomialSampler(trials: negativeSizes[$0], probability: negativeSizes[$0] == 0 ? 0 : Double(negativePredicted[$0]) / Double(negativeSizes[$0]))
    }
  }

  /// The confusion counts of each cell in the original data.
  var originalCellCounts: [ConfusionCounts] {
    positiveSizes.indices.map { cell in
      ConfusionCounts(truePositives: positivePredicted[cell], falsePositives: negativePredicted[cell],
                      trueNegatives: negativeSizes[cell] - negativePredicted[cell],
                      falseNegatives: positiveSizes[cell] - positivePredicted[cell])
    }
  }

  /// One resample's confusion counts per cell, written into `cells`.
  func resample(into cells: inout [ConfusionCounts], generator: inout SeededGenerator) {
    for cell in positiveSizes.indices {
      let truePositives = positiveSamplers[cell].draw(using: &generator)
      let falsePositives = negativeSamplers[cell].draw(using: &generator)
      cells[cell] = ConfusionCounts(truePositives: truePositives, falsePositives: falsePositives,
                                    trueNegatives: negativeSizes[cell] - falsePositives,
                                    falseNegatives: positiveSizes[cell] - truePositives)
    }
  }

  /// The percentile interval of `values` (NaN values left out).
  static func percentileInterval(_ values: [Double], level: Double) -> ConfidenceInterval {
    let defined = values.filter { !$0.isNaN }.sorted()
    let tail = (1 - level) / 2
    return ConfidenceInterval(lower: percentile(defined, tail), upper: percentile(defined, 1 - tail),
                              level: level, resamples: values.count, undefinedResamples: values.count - defined.count)
  }

  /// The q-quantile of sorted values with linear interpolation (numpy's default); NaN if empty.
  static func percentile(_ sorted: [Double], _ quantile: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = quantile * Double(sorted.count - 1)
    let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
    let fraction = position - Double(below)
    return sorted[below] + (sorted[above] - sorted[below]) * fraction
  }
}

/// How many resamples, and the interval's coverage.
public struct BootstrapConfiguration: Codable, Sendable, Equatable {
  /// Number of resamples (default 1,000).
  public var resamples: Int
  /// Coverage of the percentile interval (default 0.95).
  public var confidenceLevel: Double

  public init(resamples: Int = 1000, confidenceLevel: Double = 0.95) {
    precondition(resamples >= 1, "BootstrapConfiguration: resamples is \(resamples); it must be at least 1")
    precondition(confidenceLevel > 0 && confidenceLevel < 1,
                 "BootstrapConfiguration: confidenceLevel is \(confidenceLevel); it must lie strictly between 0 and 1")
    self.resamples = resamples
    self.confidenceLevel = confidenceLevel
  }

  enum CodingKeys: String, CodingKey {
    case resamples
    case confidenceLevel = "confidence_level"
  }
}
