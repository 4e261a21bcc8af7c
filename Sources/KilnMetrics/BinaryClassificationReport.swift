import KilnRandom
/// The performance of a binary classifier on one split: threshold metrics from the confusion
/// counts (with stratified bootstrap intervals when asked), and score metrics when scores exist.
/// Metric names (`accuracy`, `roc_auc`, …) are those gates address as `test.accuracy`.
public struct BinaryClassificationReport: Codable, Sendable, Equatable {
  /// The threshold the predictions came from, when they came from scores.
  public var threshold: ThresholdChoice?
  /// The confusion counts.
  public var counts: ConfusionCounts
  /// Every metric by name.
  public var metrics: [String: MetricEstimate]

  /// The threshold metrics and how each is read from the counts.
  static let thresholdMetrics: [(String, (ConfusionCounts) -> Double)] = [
    ("accuracy", { $0.accuracy }), ("balanced_accuracy", { $0.balancedAccuracy }), ("precision", { $0.precision }),
    ("recall", { $0.recall }), ("f1", { $0.f1 }), ("specificity", { $0.specificity }),
    ("selection_rate", { $0.selectionRate }),
  ]

  /// Metrics of predicted labels, and of scores when given.
  /// - Parameters:
  ///   - labels: true labels in {0, 1}.
  ///   - predictions: predicted labels in {0, 1}.
  ///   - scores: optional probabilities of label 1 (ROC AUC, average precision, PR AUC, log loss,
  ///     Brier score, expected and maximum calibration error).
  ///   - threshold: the threshold behind `predictions`, to report with them.
  ///   - calibrationBins: equal-width bins for calibration error.
  ///   - bootstrap: resamples for intervals on the threshold metrics and, with scores, on every
  ///     score metric; or nil.
  ///   - generator: the bootstrap's source of randomness.
  public init<Generator: RandomNumberGenerator>(
    labels: [Int], predictions: [Int], scores: [Double]? = nil, threshold: ThresholdChoice? = nil,
    calibrationBins: Int = 10, bootstrap: BootstrapConfiguration? = nil, using generator: inout Generator
  ) {
    precondition(!labels.isEmpty, "BinaryClassificationReport: needs at least one row")
    counts = ConfusionCounts(labels: labels, predictions: predictions)
    self.threshold = threshold
    var metrics: [String: MetricEstimate] = [:]
    for (name, value) in Self.thresholdMetrics { metrics[name] = MetricEstimate(value: value(counts)) }
    if counts.positives == 0 {
      for name in ["recall", "f1"] { metrics[name]?.undefined = .noPositiveLabels }
    }
    if counts.negatives == 0 { metrics["specificity"]?.undefined = .noNegativeLabels }
    if counts.predictedPositives == 0 { metrics["precision"]?.undefined = .noPredictedPositives }
    if let bootstrap {
      var resampler = SeededGenerator(seededFrom: &generator)
      let strata = StratifiedBootstrap(labels: labels, predictions: predictions,
                                       cellCodes: [Int32](repeating: 0, count: labels.count), cellCount: 1)
      var samples = [[Double]](repeating: [], count: Self.thresholdMetrics.count)
      var cells = [ConfusionCounts()]
      for _ in 0..<bootstrap.resamples {
        strata.resample(into: &cells, generator: &resampler)
        for (index, metric) in Self.thresholdMetrics.enumerated() { samples[index].append(metric.1(cells[0])) }
      }
      for (index, metric) in Self.thresholdMetrics.enumerated() {
        metrics[metric.0]?.interval = StratifiedBootstrap.percentileInterval(samples[index], level: bootstrap.confidenceLevel)
      }
    }
    if let scores {
      let singleClass: UndefinedReason? = counts.positives == 0 || counts.negatives == 0 ? .singleClassPresent : nil
      let calibration = CalibrationMetrics.calibrationErrors(labels: labels, probabilities: scores, bins: calibrationBins)
      metrics["roc_auc"] = MetricEstimate(value: RankingMetrics.rocAUC(labels: labels, scores: scores), undefined: singleClass)
      metrics["average_precision"] = MetricEstimate(value: RankingMetrics.averagePrecision(labels: labels, scores: scores),
                                                    undefined: counts.positives == 0 ? .noPositiveLabels : nil)
      metrics["pr_auc"] = MetricEstimate(value: RankingMetrics.precisionRecallAUC(labels: labels, scores: scores),
                                         undefined: counts.positives == 0 ? .noPositiveLabels : nil)
      metrics["log_loss"] = MetricEstimate(value: CalibrationMetrics.logLoss(labels: labels, probabilities: scores))
      metrics["brier_score"] = MetricEstimate(value: CalibrationMetrics.brierScore(labels: labels, probabilities: scores))
      metrics["expected_calibration_error"] = MetricEstimate(value: calibration.expected)
      metrics["maximum_calibration_error"] = MetricEstimate(value: calibration.maximum)
      if let bootstrap {
        var resampler = SeededGenerator(seededFrom: &generator)
        let intervals = ScoreMetricBootstrap(labels: labels, scores: scores)
          .intervals(resamples: bootstrap.resamples, level: bootstrap.confidenceLevel, calibrationBins: calibrationBins,
                     generator: &resampler)
        for (name, interval) in intervals { metrics[name]?.interval = interval }
      }
    }
    self.metrics = metrics
  }

  /// The metrics named for gates: `split.accuracy`, `split.roc_auc`, … and `split.threshold`.
  public func namedMetrics(split: String) -> [String: MetricEstimate] {
    var named = Dictionary(uniqueKeysWithValues: metrics.map { ("\(split).\($0.key)", $0.value) })
    if let threshold { named["\(split).threshold"] = MetricEstimate(value: threshold.threshold) }
    return named
  }
}
