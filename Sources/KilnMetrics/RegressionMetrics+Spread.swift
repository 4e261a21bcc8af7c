extension RegressionMetrics {
  /// Explained variance, 1 − Var(y − ŷ) / Var(y) (population variances). For constant targets,
  /// 1 when the residuals are constant too and 0 otherwise (scikit-learn's `force_finite=True`).
  public static func explainedVariance(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "explainedVariance")
    return RegressionSums(targets: targets, predictions: predictions, weights: nil).explainedVariance
  }

  /// Median of |yᵢ − ŷᵢ| (the mean of the two middle values for an even count, as numpy's median).
  public static func medianAbsoluteError(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "medianAbsoluteError")
    let errors = zip(targets, predictions).map { abs($0 - $1) }.sorted()
    return weightedMedian(sortedValues: errors, weights: nil)
  }

  /// The largest |yᵢ − ŷᵢ|.
  public static func maxError(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "maxError")
    return zip(targets, predictions).reduce(0) { max($0, abs($1.0 - $1.1)) }
  }

  /// The median of sorted values, each repeated `weights[index]` times (once without weights);
  /// NaN when the total weight is 0.
  static func weightedMedian(sortedValues: [Double], weights: [Int32]?) -> Double {
    let total = weights.map { $0.reduce(0) { $0 + Int($1) } } ?? sortedValues.count
    guard total > 0 else { return .nan }
    let lowerPosition = (total - 1) / 2, upperPosition = total / 2
    var seen = 0
    var lower = Double.nan
    for index in sortedValues.indices {
      let weight = weights.map { Int($0[index]) } ?? 1
      guard weight > 0 else { continue }
      if lower.isNaN && lowerPosition < seen + weight { lower = sortedValues[index] }
      if upperPosition < seen + weight { return (lower + sortedValues[index]) / 2 }
      seen += weight
    }
    return lower
  }
}

/// Weighted sums over paired targets and predictions, from which the mean-based regression
/// metrics follow; two passes (means first), so the variances do not cancel catastrophically.
struct RegressionSums {
  var weight = 0.0
  var squaredError = 0.0
  var absoluteError = 0.0
  var targetMean = 0.0
  var predictionMean = 0.0
  var residualMean = 0.0
  /// Σ w·(y − ȳ)².
  var targetSpread = 0.0
  /// Σ w·(e − ē)² with e = y − ŷ.
  var residualSpread = 0.0

  init(targets: [Double], predictions: [Double], weights: [Int32]?) {
    self = Self.byGroup(targets: targets, predictions: predictions, codes: nil, groupCount: 1, weights: weights)[0]
  }

  init() {}

  /// The sums of each group (`codes` nil: one group of all rows), rows counted `weights[row]` times.
  static func byGroup(targets: [Double], predictions: [Double], codes: [Int32]?, groupCount: Int, weights: [Int32]?) -> [RegressionSums] {
    var sums = [RegressionSums](repeating: RegressionSums(), count: groupCount)
    var targetSums = [Double](repeating: 0, count: groupCount), predictionSums = targetSums
    for row in targets.indices {
      let w = weights.map { Double($0[row]) } ?? 1
      guard w != 0 else { continue }
      let group = codes.map { Int($0[row]) } ?? 0
      let error = targets[row] - predictions[row]
      sums[group].weight += w
      targetSums[group] += w * targets[row]
      predictionSums[group] += w * predictions[row]
      sums[group].squaredError += w * error * error
      sums[group].absoluteError += w * abs(error)
    }
    for group in 0..<groupCount where sums[group].weight > 0 {
      sums[group].targetMean = targetSums[group] / sums[group].weight
      sums[group].predictionMean = predictionSums[group] / sums[group].weight
      sums[group].residualMean = sums[group].targetMean - sums[group].predictionMean
    }
    for row in targets.indices {
      let w = weights.map { Double($0[row]) } ?? 1
      guard w != 0 else { continue }
      let group = codes.map { Int($0[row]) } ?? 0
      let centred = targets[row] - sums[group].targetMean
      let residual = targets[row] - predictions[row] - sums[group].residualMean
      sums[group].targetSpread += w * centred * centred
      sums[group].residualSpread += w * residual * residual
    }
    return sums
  }

  /// These sums without one row of weight 1 (the jackknife's leave-one-out), updated in O(1):
  /// spreads by the reverse of Welford's update, M₂' = M₂ − (x − x̄)(x − x̄').
  func removing(target: Double, prediction: Double) -> RegressionSums {
    var result = RegressionSums()
    let remaining = weight - 1
    guard remaining > 0 else { return result }
    let error = target - prediction
    result.weight = remaining
    result.squaredError = Swift.max(0, squaredError - error * error)
    result.absoluteError = Swift.max(0, absoluteError - Swift.abs(error))
    result.targetMean = (targetMean * weight - target) / remaining
    result.predictionMean = (predictionMean * weight - prediction) / remaining
    result.residualMean = result.targetMean - result.predictionMean
    result.targetSpread = Swift.max(0, targetSpread - (target - targetMean) * (target - result.targetMean))
    result.residualSpread = Swift.max(0, residualSpread - (error - residualMean) * (error - result.residualMean))
    return result
  }

  var meanSquaredError: Double { weight == 0 ? .nan : squaredError / weight }
  var rootMeanSquaredError: Double { meanSquaredError.squareRoot() }
  var meanAbsoluteError: Double { weight == 0 ? .nan : absoluteError / weight }
  var meanPrediction: Double { weight == 0 ? .nan : predictionMean }

  /// R² = 1 − SSres/SStot with scikit-learn's conventions: NaN below two rows; for constant
  /// targets 1 when exact and 0 otherwise.
  var rSquared: Double {
    guard weight >= 2 else { return .nan }
    if targetSpread == 0 { return squaredError == 0 ? 1 : 0 }
    return 1 - squaredError / targetSpread
  }

  /// 1 − Var(e)/Var(y); for constant targets 1 when the residuals are constant too, else 0
  /// (scikit-learn has no two-row minimum here: one row gives 1).
  var explainedVariance: Double {
    guard weight > 0 else { return .nan }
    if targetSpread == 0 { return residualSpread == 0 ? 1 : 0 }
    return 1 - residualSpread / targetSpread
  }
}
