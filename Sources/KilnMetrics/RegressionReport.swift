import KilnRandom
/// The performance of a regression model on one split: RMSE, MAE, R², MSE, explained variance,
/// median and maximum absolute error, each with a plain (unstratified) percentile-bootstrap
/// interval over rows. Names are those gates address as `test.rmse`.
public struct RegressionReport: Codable, Sendable, Equatable {
  /// Every metric by name.
  public var metrics: [String: MetricEstimate]
  /// Mean, standard deviation (population), minimum and maximum of the targets.
  public var targetSummary: [String: Double]

  /// The metrics, in report order.
  public static let metricNames = ["rmse", "mae", "r2", "mse", "explained_variance", "median_absolute_error", "max_error"]

  /// - Parameters:
  ///   - targets: true values.
  ///   - predictions: predicted values in the same units.
  ///   - bootstrap: resamples for the intervals, or nil for none.
  ///   - generator: the bootstrap's source of randomness (four words are drawn from it).
  public init<Generator: RandomNumberGenerator>(
    targets: [Double], predictions: [Double], bootstrap: BootstrapConfiguration? = nil, using generator: inout Generator
  ) {
    RegressionMetrics.check(targets, predictions, "RegressionReport")
    let measure = Measure(targets: targets, predictions: predictions)
    func statistics(_ weights: [Int32]?) -> [Double] { measure.statistics(weights) }
    let sums = RegressionSums(targets: targets, predictions: predictions, weights: nil)
    var metrics = Dictionary(uniqueKeysWithValues: zip(Self.metricNames, statistics(nil)).map { ($0, MetricEstimate(value: $1)) })
    if targets.count < 2 {
      metrics["r2"]?.undefined = .tooFewRows
    } else if sums.targetSpread == 0 {
      for name in ["r2", "explained_variance"] {
        let value = metrics[name]!.value
        metrics[name]?.undefined = .constantTargets
        metrics[name]?.detail = "every target is \(targets[0]); scikit-learn's force_finite convention gives \(value)"
      }
    }
    if let bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      let rows = RowResampler(strataCodes: [Int](repeating: 0, count: targets.count), strataCount: 1)
      let intervals = rows.intervals(statisticCount: Self.metricNames.count, configuration: bootstrap, generator: &resampler) {
        statistics($0)
      }
      for (name, interval) in zip(Self.metricNames, intervals) { metrics[name]?.interval = interval }
    }
    self.metrics = metrics
    targetSummary = ["mean": sums.targetMean, "std": (sums.targetSpread / sums.weight).squareRoot(),
                     "min": targets.min()!, "max": targets.max()!]
  }

  /// The metrics named for gates: `split.rmse`, `split.r2`, …
  public func namedMetrics(split: String) -> [String: MetricEstimate] {
    Dictionary(uniqueKeysWithValues: metrics.map { ("\(split).\($0.key)", $0.value) })
  }

  enum CodingKeys: String, CodingKey {
    case metrics
    case targetSummary = "target_summary"
  }
}

extension RegressionReport {
  /// The metrics of one model on (re)weighted rows, with the absolute errors sorted once.
  struct Measure {
    let targets: [Double]
    let predictions: [Double]
    let errors: [Double]
    let order: [Int]
    let sortedErrors: [Double]

    init(targets: [Double], predictions: [Double]) {
      self.targets = targets
      self.predictions = predictions
      let errors = zip(targets, predictions).map { abs($0 - $1) }
      let order = errors.indices.sorted { errors[$0] < errors[$1] }
      self.errors = errors
      self.order = order
      sortedErrors = order.map { errors[$0] }
    }

    /// The values of `metricNames`, in order, with each row counted `weights[row]` times (nil: once).
    func statistics(_ weights: [Int32]?) -> [Double] {
      let sums = RegressionSums(targets: targets, predictions: predictions, weights: weights)
      let median = RegressionMetrics.weightedMedian(sortedValues: sortedErrors, weights: weights.map { w in order.map { w[$0] } })
      let maximum = errors.indices.reduce(0.0) { (weights?[$1] ?? 1) > 0 ? max($0, errors[$1]) : $0 }
      return [sums.rootMeanSquaredError, sums.meanAbsoluteError, sums.rSquared, sums.meanSquaredError, sums.explainedVariance,
              median, maximum]
    }
  }
}
