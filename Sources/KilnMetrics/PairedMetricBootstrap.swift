import KilnRandom
/// Paired percentile-bootstrap intervals for the difference of every metric of a performance
/// report between two models scored on the same labelled rows (a shadow comparison): the
/// `BinaryClassificationReport` metrics for two binary classifiers, the
/// `MulticlassClassificationReport` metrics for two multi-class classifiers, the
/// `RegressionReport` metrics for two regressors.
///
/// Each resample draws the rows once — within each stratum (true class for classifiers, one
/// stratum for regression), as many rows as the stratum has, with replacement, as a multiplicity
/// per row — and both models' metrics are computed on that same resample, so the delta
/// θ̂*(challenger) − θ̂*(champion) keeps the pairing of the rows and the interval reflects only
/// the disagreement between the models (Efron & Tibshirani 1993, ch. 13; Bouthillier et al. 2021,
/// https://arxiv.org/abs/2103.03098). Two identical models give a delta of exactly 0 in every
/// resample. Binary threshold metrics come from the weighted confusion counts, score metrics from
/// `ScoreMetricBootstrap`'s weighted passes; multi-class and regression metrics from the same
/// weighted statistics their reports bootstrap; percentiles from
/// `StratifiedBootstrap.percentileInterval` (NaN deltas left out and counted).
public struct PairedMetricBootstrap {
  /// One binary model's decisions and P(label 1) on the shared rows.
  public struct Model {
    public var predictions: [Int]
    public var scores: [Double]

    public init(predictions: [Int], scores: [Double]) {
      self.predictions = predictions
      self.scores = scores
    }
  }

  /// Metric name → value of one model on a resample (row multiplicities, calibration bins).
  typealias Measure = (_ weights: [Int32], _ calibrationBins: Int) -> [String: Double]

  /// The champion's and the challenger's measures.
  let measures: [Measure]
  let resampler: RowResampler

  /// Two binary classifiers; rows are resampled within each label.
  /// - Precondition: labels (0 or 1), predictions and scores all have one entry per row, and there is at least one row.
  public init(labels: [Int], champion: Model, challenger: Model) {
    precondition(!labels.isEmpty, "PairedMetricBootstrap: needs at least one row")
    for model in [champion, challenger] {
      precondition(model.predictions.count == labels.count && model.scores.count == labels.count,
                   "PairedMetricBootstrap: \(labels.count) labels but \(model.predictions.count) predictions and \(model.scores.count) scores")
    }
    precondition(labels.allSatisfy { $0 == 0 || $0 == 1 }, "PairedMetricBootstrap: binary labels must be 0 or 1")
    measures = [champion, challenger].map { model in
      let scoreBootstrap = ScoreMetricBootstrap(labels: labels, scores: model.scores)
      return { weights, calibrationBins in
        var cells = [Int](repeating: 0, count: 4)  // index 2·label + prediction
        for row in labels.indices where weights[row] > 0 {
          cells[2 * labels[row] + model.predictions[row]] += Int(weights[row])
        }
        let counts = ConfusionCounts(truePositives: cells[3], falsePositives: cells[1], trueNegatives: cells[0], falseNegatives: cells[2])
        var values: [String: Double] = [:]
        for (name, metric) in BinaryClassificationReport.thresholdMetrics { values[name] = metric(counts) }
        for (name, value) in scoreBootstrap.values(scoreBootstrap.ranking.sorted(weights), calibrationBins: calibrationBins) {
          values[name] = value
        }
        return values
      }
    }
    resampler = RowResampler(strataCodes: labels, strataCount: 2)
  }

  /// Two multi-class classifiers over the same classes; rows are resampled within each true class.
  /// - Parameters:
  ///   - labels: true class codes in `0..<classCount`.
  ///   - champion, challenger: one probability row of `classCount` entries per label (predicted class = argmax).
  public init(labels: [Int], championProbabilities champion: [[Double]], challengerProbabilities challenger: [[Double]],
              classCount: Int) {
    precondition(!labels.isEmpty, "PairedMetricBootstrap: needs at least one row")
    precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount },
                 "PairedMetricBootstrap: every label must be a class code in 0..<\(classCount)")
    for probabilities in [champion, challenger] {
      precondition(probabilities.count == labels.count && probabilities.allSatisfy { $0.count == classCount },
                   "PairedMetricBootstrap: \(labels.count) labels need as many probability rows of \(classCount) classes")
    }
    measures = [champion, challenger].map { probabilities in
      let measure = MulticlassClassificationReport.Measure(labels: labels, classProbabilities: probabilities, classCount: classCount)
      return { weights, _ in
        Dictionary(uniqueKeysWithValues: zip(MulticlassClassificationReport.metricNames, measure.statistics(weights)).map { ($0, $1) })
      }
    }
    resampler = RowResampler(strataCodes: labels, strataCount: classCount)
  }

  /// Two regressors; rows are resampled plainly (one stratum).
  /// - Precondition: targets and both models' predictions have one finite entry per row, and there is at least one row.
  public init(targets: [Double], championPredictions champion: [Double], challengerPredictions challenger: [Double]) {
    precondition(!targets.isEmpty, "PairedMetricBootstrap: needs at least one row")
    RegressionMetrics.check(targets, champion, "PairedMetricBootstrap")
    RegressionMetrics.check(targets, challenger, "PairedMetricBootstrap")
    measures = [champion, challenger].map { predictions in
      let measure = RegressionReport.Measure(targets: targets, predictions: predictions)
      return { weights, _ in
        Dictionary(uniqueKeysWithValues: zip(RegressionReport.metricNames, measure.statistics(weights)).map { ($0, $1) })
      }
    }
    resampler = RowResampler(strataCodes: [Int](repeating: 0, count: targets.count), strataCount: 1)
  }

  /// The interval of challenger − champion for every metric of the kind's report, keyed by metric name.
  public func deltaIntervals<Generator: RandomNumberGenerator>(
    configuration: BootstrapConfiguration, calibrationBins: Int = 10, using generator: inout Generator
  ) -> [String: ConfidenceInterval] {
    var random = SeededGenerator(seededFrom: &generator)
    var samples: [String: [Double]] = [:]
    var weights = [Int32](repeating: 0, count: resampler.rowCount)
    for _ in 0..<configuration.resamples {
      resampler.drawWeights(into: &weights, generator: &random)
      let championValues = measures[0](weights, calibrationBins)
      let challengerValues = measures[1](weights, calibrationBins)
      for (name, value) in challengerValues { samples[name, default: []].append(value - (championValues[name] ?? .nan)) }
    }
    return samples.mapValues { StratifiedBootstrap.percentileInterval($0, level: configuration.confidenceLevel) }
  }
}
