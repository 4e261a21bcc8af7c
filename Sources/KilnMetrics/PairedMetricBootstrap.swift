/// Paired percentile-bootstrap intervals for the difference of every `BinaryClassificationReport`
/// metric between two models scored on the same labelled rows (a shadow comparison).
///
/// Each resample draws the rows once — within each label stratum, as many rows as the stratum
/// has, with replacement, as a multiplicity per row — and both models' metrics are computed on
/// that same resample, so the delta θ̂*(challenger) − θ̂*(champion) keeps the pairing of the rows
/// and the interval reflects only the disagreement between the models (Efron & Tibshirani 1993,
/// ch. 13; Bouthillier et al. 2021, https://arxiv.org/abs/2103.03098). Two identical models give a
/// delta of exactly 0 in every resample. Threshold metrics come from the weighted confusion counts,
/// score metrics from `ScoreMetricBootstrap`'s weighted passes, percentiles from
/// `StratifiedBootstrap.percentileInterval` (NaN deltas left out and counted).
public struct PairedMetricBootstrap {
  /// One model's decisions and P(label 1) on the shared rows.
  public struct Model {
    public var predictions: [Int]
    public var scores: [Double]

    public init(predictions: [Int], scores: [Double]) {
      self.predictions = predictions
      self.scores = scores
    }
  }

  let labels: [Int]
  let models: [Model]
  let scoreBootstraps: [ScoreMetricBootstrap]
  /// Row indices with label 0 and with label 1.
  let strata: [[Int]]

  /// - Precondition: labels, predictions and scores all have one entry per row, and there is at least one row.
  public init(labels: [Int], champion: Model, challenger: Model) {
    precondition(!labels.isEmpty, "PairedMetricBootstrap: needs at least one row")
    for model in [champion, challenger] {
      precondition(model.predictions.count == labels.count && model.scores.count == labels.count,
                   "PairedMetricBootstrap: \(labels.count) labels but \(model.predictions.count) predictions and \(model.scores.count) scores")
    }
    self.labels = labels
    models = [champion, challenger]
    scoreBootstraps = models.map { ScoreMetricBootstrap(labels: labels, scores: $0.scores) }
    strata = [0, 1].map { label in labels.indices.filter { labels[$0] == label } }
  }

  /// The interval of challenger − champion for every metric `BinaryClassificationReport` reports
  /// (threshold metrics and score metrics), keyed by metric name.
  public func deltaIntervals<Generator: RandomNumberGenerator>(
    configuration: BootstrapConfiguration, calibrationBins: Int = 10, using generator: inout Generator
  ) -> [String: ConfidenceInterval] {
    var resampler = SeededGenerator(seededFrom: &generator)
    var samples: [String: [Double]] = [:]
    var weights = [Int32](repeating: 0, count: labels.count)
    for _ in 0..<configuration.resamples {
      drawWeights(into: &weights, generator: &resampler)
      let championValues = values(model: 0, weights: weights, calibrationBins: calibrationBins)
      let challengerValues = values(model: 1, weights: weights, calibrationBins: calibrationBins)
      for (name, value) in challengerValues { samples[name, default: []].append(value - (championValues[name] ?? .nan)) }
    }
    return samples.mapValues { StratifiedBootstrap.percentileInterval($0, level: configuration.confidenceLevel) }
  }

  /// One resample's multiplicity of each row (row order), drawn within each label stratum.
  func drawWeights(into weights: inout [Int32], generator: inout SeededGenerator) {
    for index in weights.indices { weights[index] = 0 }
    for stratum in strata where !stratum.isEmpty {
      let bound = UInt64(stratum.count)
      for _ in 0..<stratum.count { weights[stratum[Int(generator.uniformIndex(below: bound))]] &+= 1 }
    }
  }

  /// Every metric of model `index` on the resample `weights` (row order).
  func values(model index: Int, weights: [Int32], calibrationBins: Int) -> [String: Double] {
    let predictions = models[index].predictions
    var cells = [Int](repeating: 0, count: 4)  // index 2·label + prediction
    for row in labels.indices where weights[row] > 0 {
      cells[2 * labels[row] + predictions[row]] += Int(weights[row])
    }
    let counts = ConfusionCounts(truePositives: cells[3], falsePositives: cells[1], trueNegatives: cells[0], falseNegatives: cells[2])
    var values: [String: Double] = [:]
    for (name, metric) in BinaryClassificationReport.thresholdMetrics { values[name] = metric(counts) }
    let bootstrap = scoreBootstraps[index]
    for (name, value) in bootstrap.values(bootstrap.ranking.sorted(weights), calibrationBins: calibrationBins) { values[name] = value }
    return values
  }
}
