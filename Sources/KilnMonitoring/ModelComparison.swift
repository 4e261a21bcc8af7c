import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// Decision flips between two models on the same rows, overall or within one group: a flip is a
/// changed decision (binary) or a changed predicted class (multi-class).
public struct FlipRates: Codable, Sendable, Equatable {
  public var rows: Int
  /// Share of rows where the two decisions (or predicted classes) differ.
  public var flipRate: Double
  /// Share of rows where they agree (1 − flip rate).
  public var agreement: Double
  /// Share of rows the champion decides 0 and the challenger 1 (binary models only).
  public var negativeToPositive: Double?
  /// Share of rows the champion decides 1 and the challenger 0 (binary models only).
  public var positiveToNegative: Double?

  enum CodingKeys: String, CodingKey {
    case rows, agreement
    case flipRate = "flip_rate", negativeToPositive = "negative_to_positive", positiveToNegative = "positive_to_negative"
  }

  /// Flips between two multi-class models' predicted classes.
  init(championClasses champion: [Int], challengerClasses challenger: [Int]) {
    rows = champion.count
    flipRate = Double(zip(champion, challenger).filter { $0 != $1 }.count) / Double(max(rows, 1))
    agreement = rows == 0 ? 0 : 1 - flipRate
  }

  /// Flips between two binary models' decisions.
  init(champion: [Int], challenger: [Int]) {
    rows = champion.count
    let total = Double(max(rows, 1))
    let up = zip(champion, challenger).filter { $0 == 0 && $1 == 1 }.count
    let down = zip(champion, challenger).filter { $0 == 1 && $1 == 0 }.count
    negativeToPositive = Double(up) / total
    positiveToNegative = Double(down) / total
    flipRate = Double(up + down) / total
    agreement = rows == 0 ? 0 : 1 - flipRate
  }
}

/// A metric of both models on labelled rows, with the challenger-minus-champion delta.
public struct MetricDelta: Codable, Sendable, Equatable {
  public var name: String
  public var champion: Double
  public var challenger: Double
  public var delta: Double
  /// The paired percentile-bootstrap interval of the delta (rows resampled once per resample and
  /// both models measured on it; see `PairedMetricBootstrap`), when a bootstrap was asked for.
  public var deltaInterval: ConfidenceInterval?

  enum CodingKeys: String, CodingKey {
    case name, champion, challenger, delta
    case deltaInterval = "delta_interval"
  }
}

/// `kiln compare-models`: a batch shadow comparison of two trained models.
public struct ModelComparisonReport: Codable, Sendable, Equatable {
  public var champion: String
  public var challenger: String
  /// The kind both models share.
  public var labelKind: LabelKind
  /// Flips overall (classifiers; nil for regression models).
  public var overall: FlipRates?
  /// Attribute → group → flips (classifiers; empty for regression models).
  public var byGroup: [String: [String: FlipRates]]
  /// Mean |challenger − champion| prediction overall (regression models; nil for classifiers).
  public var predictionDifference: PredictionDifference?
  /// Attribute → group → mean absolute prediction difference (regression models; empty for classifiers).
  public var predictionDifferenceByGroup: [String: [String: PredictionDifference]]
  /// Present when the input carries labels.
  public var metrics: [MetricDelta]

  enum CodingKeys: String, CodingKey {
    case champion, challenger, overall, metrics
    case labelKind = "label_kind"
    case byGroup = "by_group"
    case predictionDifference = "prediction_difference"
    case predictionDifferenceByGroup = "prediction_difference_by_group"
  }

  /// The metrics compared on labelled rows, in report order (those of `BinaryClassificationReport`).
  public static let comparedMetrics = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "specificity",
                                       "selection_rate", "roc_auc", "average_precision", "pr_auc", "log_loss", "brier_score",
                                       "expected_calibration_error", "maximum_calibration_error"]

  /// Scores `input` (a raw CSV) with both models, each through its own dataset's encoding.
  /// - Parameters:
  ///   - bootstrap: resamples and level of the paired intervals on the metric deltas, or nil for none.
  ///   - seed: seeds the bootstrap (its `RandomStream.bootstrap` stream): the same batch and seed give the same intervals.
  /// - Throws: `MonitoringError` when the two encodings keep different rows of the file.
  public static func compare(champion: MonitoredModel, challenger: MonitoredModel, input: URL,
                             bootstrap: BootstrapConfiguration? = BootstrapConfiguration(), seed: UInt64 = 0) throws -> ModelComparisonReport {
    try requireComparable(champion, challenger)
    guard champion.labelKind == .binary else {
      return try compareLabelKinds(champion: champion, challenger: challenger, input: input, bootstrap: bootstrap, seed: seed)
    }
    let (championRows, challengerRows, groups) = try encodeBoth(champion, challenger, input: input)
    let championScores = champion.scorer(championRows.features, championRows.rowCount)
    let challengerScores = challenger.scorer(challengerRows.features, challengerRows.rowCount)
    let championDecisions = championScores.map { $0 >= champion.threshold ? 1 : 0 }
    let challengerDecisions = challengerScores.map { $0 >= challenger.threshold ? 1 : 0 }
    let byGroup = groups.mapValues { $0.mapValues { rows in
      FlipRates(champion: rows.map { championDecisions[$0] }, challenger: rows.map { challengerDecisions[$0] })
    } }
    var metrics: [MetricDelta] = []
    if let labelCodes = championRows.labels, !labelCodes.isEmpty {
      metrics = metricDeltas(labels: labelCodes.map(Int.init),
                             champion: PairedMetricBootstrap.Model(predictions: championDecisions, scores: championScores),
                             challenger: PairedMetricBootstrap.Model(predictions: challengerDecisions, scores: challengerScores),
                             bootstrap: bootstrap, seed: seed)
    }
    return ModelComparisonReport(champion: champion.runID, challenger: challenger.runID, labelKind: .binary,
                                 overall: FlipRates(champion: championDecisions, challenger: challengerDecisions),
                                 byGroup: byGroup, predictionDifference: nil, predictionDifferenceByGroup: [:], metrics: metrics)
  }

  /// The paired bootstrap `kiln compare-models` uses, like `kiln monitor`'s: the champion experiment's
  /// `evaluation.bootstrap` (else 1,000 resamples at 95%), with `resamples` overriding the count; nil when it is 0.
  public static func bootstrap(for champion: MonitoredModel, resamples: Int?) -> BootstrapConfiguration? {
    if resamples == 0 { return nil }
    var bootstrap = champion.experimentBootstrap ?? BootstrapConfiguration()
    if let resamples { bootstrap.resamples = resamples }
    return bootstrap
  }

  /// Both models' metrics on the labelled rows, their deltas and the deltas' paired intervals.
  static func metricDeltas(labels: [Int], champion: PairedMetricBootstrap.Model, challenger: PairedMetricBootstrap.Model,
                           bootstrap: BootstrapConfiguration?, seed: UInt64) -> [MetricDelta] {
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    let championReport = BinaryClassificationReport(labels: labels, predictions: champion.predictions, scores: champion.scores,
                                                    using: &generator)
    let challengerReport = BinaryClassificationReport(labels: labels, predictions: challenger.predictions, scores: challenger.scores,
                                                      using: &generator)
    let intervals = bootstrap.map {
      PairedMetricBootstrap(labels: labels, champion: champion, challenger: challenger).deltaIntervals(configuration: $0, using: &generator)
    } ?? [:]
    return comparedMetrics.compactMap { name in
      guard let before = championReport.metrics[name]?.value, let after = challengerReport.metrics[name]?.value else { return nil }
      return MetricDelta(name: name, champion: before, challenger: after, delta: after - before, deltaInterval: intervals[name])
    }
  }

  /// A summary for the terminal.
  public func renderedText() -> String {
    func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }
    func flips(_ rates: FlipRates) -> String {
      var text = "flip rate \(percent(rates.flipRate))"
      if let up = rates.negativeToPositive, let down = rates.positiveToNegative {
        text += " (0→1 \(percent(up)), 1→0 \(percent(down)))"
      }
      return text
    }
    func difference(_ value: PredictionDifference) -> String { String(format: "mean |prediction difference| %.4f", value.meanAbsoluteDifference) }
    let rows = overall?.rows ?? predictionDifference?.rows ?? 0
    var lines = ["champion \(champion) vs challenger \(challenger) (\(labelKind.rawValue)) on \(rows) rows"]
    if let overall { lines.append("  " + flips(overall)) }
    if let predictionDifference { lines.append("  " + difference(predictionDifference)) }
    for (attribute, groups) in byGroup.sorted(by: { $0.key < $1.key }) {
      for (group, rates) in groups.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(attribute)=\(group) (\(rates.rows) rows): " + flips(rates))
      }
    }
    for (attribute, groups) in predictionDifferenceByGroup.sorted(by: { $0.key < $1.key }) {
      for (group, value) in groups.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(attribute)=\(group) (\(value.rows) rows): " + difference(value))
      }
    }
    for metric in metrics {
      let interval = metric.deltaInterval.map {
        String(format: " [%+.4f, %+.4f] (%.0f%%)", $0.lower, $0.upper, 100 * $0.level)
      } ?? ""
      lines.append(String(format: "  %@ champion %.4f, challenger %.4f, delta %+.4f",
                          metric.name.padding(toLength: 27, withPad: " ", startingAt: 0), metric.champion, metric.challenger,
                          metric.delta) + interval)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
