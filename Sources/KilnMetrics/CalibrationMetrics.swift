import Foundation

/// Metrics of how well predicted probabilities match observed frequencies. Labels are in {0, 1};
/// probabilities are of label 1 and lie in [0, 1].
public enum CalibrationMetrics {
  /// Binary log loss, −(1/n)·Σ [y·log p + (1−y)·log(1−p)], with p clipped to [ε, 1−ε] for
  /// ε = machine epsilon of Double, as scikit-learn's `log_loss` does.
  public static func logLoss(labels: [Int], probabilities: [Double]) -> Double {
    precondition(labels.count == probabilities.count, "logLoss: \(labels.count) labels but \(probabilities.count) probabilities")
    let epsilon = Double.ulpOfOne
    var total = 0.0
    for (label, probability) in zip(labels, probabilities) {
      let clipped = min(max(probability, epsilon), 1 - epsilon)
      total -= label == 1 ? log(clipped) : log(1 - clipped)
    }
    return total / Double(labels.count)
  }

  /// Multi-class log loss, −(1/n)·Σ log p[i][yᵢ], each row renormalised to sum to 1 after
  /// clipping to [ε, 1−ε] (scikit-learn's `log_loss`).
  public static func logLoss(labels: [Int], classProbabilities: [[Double]]) -> Double {
    precondition(labels.count == classProbabilities.count, "logLoss: \(labels.count) labels but \(classProbabilities.count) probability rows")
    let epsilon = Double.ulpOfOne
    var total = 0.0
    for (label, row) in zip(labels, classProbabilities) {
      precondition(label >= 0 && label < row.count, "logLoss: label \(label) has no probability column (\(row.count) classes)")
      let clipped = row.map { min(max($0, epsilon), 1 - epsilon) }
      total -= log(clipped[label] / clipped.reduce(0, +))
    }
    return total / Double(labels.count)
  }

  /// Brier score, (1/n)·Σ (p − y)² (Brier 1950).
  public static func brierScore(labels: [Int], probabilities: [Double]) -> Double {
    precondition(labels.count == probabilities.count, "brierScore: \(labels.count) labels but \(probabilities.count) probabilities")
    var total = 0.0
    for (label, probability) in zip(labels, probabilities) {
      let gap = probability - Double(label)
      total += gap * gap
    }
    return total / Double(labels.count)
  }

  /// Expected and maximum calibration error over `bins` equal-width bins of [0, 1]
  /// (Naeini, Cooper & Hauskrecht 2015, "Obtaining well calibrated probabilities using Bayesian
  /// binning"): ECE = Σ_b (n_b/n)·|mean p_b − mean y_b|, MCE = max_b |mean p_b − mean y_b| over
  /// non-empty bins. A probability p falls in bin min(⌊p·bins⌋, bins − 1). NaN for no rows.
  public static func calibrationErrors(labels: [Int], probabilities: [Double], bins: Int = 10) -> (expected: Double, maximum: Double) {
    let result = calibrationErrorsByGroup(labels: labels, probabilities: probabilities, codes: nil, groupCount: 1, bins: bins)
    return (result.expected[0], result.maximum[0])
  }

  /// `calibrationErrors` for each group of `codes` in one pass.
  /// With `weights`, row i counts `weights[i]` times (a bootstrap resample's multiplicities).
  static func calibrationErrorsByGroup(labels: [Int], probabilities: [Double], codes: [Int32]?, groupCount: Int, bins: Int,
                                       weights: [Int32]? = nil) -> (expected: [Double], maximum: [Double]) {
    precondition(bins >= 1, "calibrationErrors: bins is \(bins); it must be at least 1")
    precondition(labels.count == probabilities.count, "calibrationErrors: \(labels.count) labels but \(probabilities.count) probabilities")
    var probabilitySums = [Double](repeating: 0, count: groupCount * bins)
    var labelSums = [Double](repeating: 0, count: groupCount * bins)
    var counts = [Int](repeating: 0, count: groupCount * bins)
    let groupCodes = codes ?? [Int32](repeating: 0, count: labels.count)
    let rowWeights = weights ?? [Int32](repeating: 1, count: labels.count)
    precondition(groupCodes.count == labels.count && rowWeights.count == labels.count,
                 "calibrationErrors: \(groupCodes.count) codes and \(rowWeights.count) weights for \(labels.count) rows")
    // Unsafe buffers: this loop runs once per grouping and bootstrap resample.
    probabilitySums.withUnsafeMutableBufferPointer { probabilitySums in
      labelSums.withUnsafeMutableBufferPointer { labelSums in
        counts.withUnsafeMutableBufferPointer { counts in
          labels.withUnsafeBufferPointer { labels in
            probabilities.withUnsafeBufferPointer { probabilities in
              groupCodes.withUnsafeBufferPointer { groupCodes in
                rowWeights.withUnsafeBufferPointer { rowWeights in
                  for row in 0..<labels.count {
                    let weight = Int(rowWeights[row])
                    if weight == 0 { continue }
                    let probability = probabilities[row]
                    let bin = min(max(Int(probability * Double(bins)), 0), bins - 1)
                    let cell = Int(groupCodes[row]) * bins + bin
                    probabilitySums[cell] += probability * Double(weight)
                    labelSums[cell] += Double(labels[row] * weight)
                    counts[cell] += weight
                  }
                }
              }
            }
          }
        }
      }
    }
    var expected = [Double](repeating: .nan, count: groupCount)
    var maximum = [Double](repeating: .nan, count: groupCount)
    for group in 0..<groupCount {
      var weightedGap = 0.0, worst = 0.0, rows = 0
      for cell in group * bins..<(group + 1) * bins where counts[cell] > 0 {
        let gap = abs(probabilitySums[cell] - labelSums[cell])
        weightedGap += gap
        worst = max(worst, gap / Double(counts[cell]))
        rows += counts[cell]
      }
      if rows > 0 {
        expected[group] = weightedGap / Double(rows)
        maximum[group] = worst
      }
    }
    return (expected, maximum)
  }
}
