import KilnRandom
import Foundation

/// Seeded, stratified percentile bootstrap over confusion counts.
///
/// Strata are the cells of the finest grouping (the intersection of every sensitive attribute)
/// split by true label, so every group keeps its size and its number of positive labels in each
/// resample. Drawing nₛ rows with replacement from a stratum of nₛ rows, kₛ of them predicted 1,
/// only matters through how many drawn rows are predicted 1, which is Binomial(nₛ, kₛ/nₛ): that
/// number is drawn exactly (`BinomialSampler`), so a resample costs O(strata), not O(rows).
/// Every threshold metric, per group and overall, and every disparity is then recomputed from
/// the resampled counts. Intervals are the (1−level)/2 and (1+level)/2 percentiles with linear
/// interpolation (Efron & Tibshirani 1993, ch. 13), bias-corrected and accelerated for
/// disparities (`bcaInterval`); NaN resamples are left out and counted.
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

  /// The bias-corrected and accelerated (BCa) interval of `values` around `estimate`
  /// (Efron 1987, "Better bootstrap confidence intervals", JASA 82:171–185; Efron & Tibshirani
  /// 1993, §14.3):
  ///
  /// z₀ = Φ⁻¹(share of defined resamples below the estimate, ties counting half);
  /// a = Σwᵢ(θ̄ − θᵢ)³ / (6·(Σwᵢ(θ̄ − θᵢ)²)^{3/2}) over the jackknife values θᵢ (weight wᵢ rows each);
  /// the bounds are the Φ(z₀ + (z₀ + z)/(1 − a(z₀ + z))) percentiles for z = Φ⁻¹((1 ∓ level)/2).
  ///
  /// Bias correction moves the interval onto the estimate when the resamples sit to one side of
  /// it, as they do for a disparity near a boundary (a max−min difference is biased upwards).
  /// - Returns: nil where BCa is undefined: an undefined estimate or jackknife value, no resample
  ///   on one side of the estimate, a jackknife without spread, or a bound outside (0, 1).
  static func bcaInterval(_ values: [Double], estimate: Double, jackknife: [(value: Double, weight: Int)],
                          level: Double) -> ConfidenceInterval? {
    let defined = values.filter { !$0.isNaN }.sorted()
    guard estimate.isFinite, !defined.isEmpty, jackknife.allSatisfy({ $0.value.isFinite }) else { return nil }
    let below = Double(defined.filter { $0 < estimate }.count) + 0.5 * Double(defined.filter { $0 == estimate }.count)
    let share = below / Double(defined.count)
    guard share > 0, share < 1 else { return nil }
    let bias = NormalDistribution.quantile(share)
    let rows = Double(jackknife.reduce(0) { $0 + $1.weight })
    let mean = jackknife.reduce(0) { $0 + Double($1.weight) * $1.value } / rows
    let squares = jackknife.reduce(0) { $0 + Double($1.weight) * ($1.value - mean) * ($1.value - mean) }
    let cubes = jackknife.reduce(0) { $0 + Double($1.weight) * pow(mean - $1.value, 3) }
    guard squares > 0 else { return nil }
    let acceleration = cubes / (6 * pow(squares, 1.5))
    func adjusted(_ tail: Double) -> Double? {
      let z = NormalDistribution.quantile(tail)
      let denominator = 1 - acceleration * (bias + z)
      guard denominator > 0 else { return nil }
      let quantile = NormalDistribution.cdf(bias + (bias + z) / denominator)
      return quantile > 0 && quantile < 1 ? quantile : nil
    }
    let tail = (1 - level) / 2
    guard let lower = adjusted(tail), let upper = adjusted(1 - tail) else { return nil }
    return ConfidenceInterval(lower: percentile(defined, lower), upper: percentile(defined, upper), level: level,
                              resamples: values.count, undefinedResamples: values.count - defined.count, method: .bca)
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
