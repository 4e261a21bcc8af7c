/// Regression metrics over paired targets and predictions.
public enum RegressionMetrics {
  /// Mean squared error, (1/n)·Σ (yᵢ − ŷᵢ)².
  public static func meanSquaredError(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "meanSquaredError")
    return zip(targets, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(targets.count)
  }

  /// Root mean squared error, √MSE.
  public static func rootMeanSquaredError(targets: [Double], predictions: [Double]) -> Double {
    meanSquaredError(targets: targets, predictions: predictions).squareRoot()
  }

  /// Mean absolute error, (1/n)·Σ |yᵢ − ŷᵢ|.
  public static func meanAbsoluteError(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "meanAbsoluteError")
    return zip(targets, predictions).reduce(0) { $0 + abs($1.0 - $1.1) } / Double(targets.count)
  }

  /// Coefficient of determination, R² = 1 − Σ (yᵢ − ŷᵢ)² / Σ (yᵢ − ȳ)². For constant targets,
  /// 1 when the predictions are exact and 0 otherwise (scikit-learn's `force_finite=True`); NaN
  /// for a single row, which scikit-learn also reports as not well-defined.
  public static func rSquared(targets: [Double], predictions: [Double]) -> Double {
    check(targets, predictions, "rSquared")
    return RegressionSums(targets: targets, predictions: predictions, weights: nil).rSquared
  }

  static func check(_ targets: [Double], _ predictions: [Double], _ name: String) {
    precondition(targets.count == predictions.count, "\(name): \(targets.count) targets but \(predictions.count) predictions")
    precondition(!targets.isEmpty, "\(name): needs at least one row")
  }
}
