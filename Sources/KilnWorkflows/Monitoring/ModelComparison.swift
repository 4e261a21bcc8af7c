import Foundation
import KilnData
import KilnMetrics
import KilnTensor

/// Decision flips between two models on the same rows, overall or within one group.
public struct FlipRates: Codable, Sendable, Equatable {
  public var rows: Int
  /// Share of rows where the two decisions differ.
  public var flipRate: Double
  /// Share of rows the champion decides 0 and the challenger 1.
  public var negativeToPositive: Double
  /// Share of rows the champion decides 1 and the challenger 0.
  public var positiveToNegative: Double

  enum CodingKeys: String, CodingKey {
    case rows
    case flipRate = "flip_rate", negativeToPositive = "negative_to_positive", positiveToNegative = "positive_to_negative"
  }

  init(champion: [Int], challenger: [Int]) {
    rows = champion.count
    let total = Double(max(rows, 1))
    let up = zip(champion, challenger).filter { $0 == 0 && $1 == 1 }.count
    let down = zip(champion, challenger).filter { $0 == 1 && $1 == 0 }.count
    negativeToPositive = Double(up) / total
    positiveToNegative = Double(down) / total
    flipRate = Double(up + down) / total
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
  public var overall: FlipRates
  /// Attribute → group → flips.
  public var byGroup: [String: [String: FlipRates]]
  /// Present when the input carries labels.
  public var metrics: [MetricDelta]

  enum CodingKeys: String, CodingKey {
    case champion, challenger, overall, metrics
    case byGroup = "by_group"
  }

  /// The metrics compared on labelled rows, in report order (those of `BinaryClassificationReport`).
  public static let comparedMetrics = ["accuracy", "balanced_accuracy", "precision", "recall", "f1", "specificity",
                                       "selection_rate", "roc_auc", "average_precision", "pr_auc", "log_loss", "brier_score",
                                       "expected_calibration_error", "maximum_calibration_error"]

  /// Scores `input` (a raw CSV) with both models, each through its own dataset's encoding.
  /// - Parameters:
  ///   - bootstrap: resamples and level of the paired intervals on the metric deltas, or nil for none.
  ///   - seed: seeds the bootstrap (`SeededGenerator(seed:stream: 0)`): the same batch and seed give the same intervals.
  /// - Throws: `MonitoringError` when the two encodings keep different rows of the file.
  public static func compare(champion: MonitoredModel, challenger: MonitoredModel, input: URL,
                             bootstrap: BootstrapConfiguration? = BootstrapConfiguration(), seed: UInt64 = 0) throws -> ModelComparisonReport {
    try champion.requireBinary(for: "kiln compare-models")
    try challenger.requireBinary(for: "kiln compare-models")
    let championRows = try champion.encoding().encode(csvFile: input)
    let challengerEncoding = try challenger.encoding()
    let challengerRows = try challengerEncoding.encode(csvFile: input)
    guard championRows.sourceRows == challengerRows.sourceRows else {
      throw MonitoringError("\(input.path): the two models' encodings keep different rows (\(championRows.rowCount) and \(challengerRows.rowCount))",
                            hint: "compare on rows without missing values")
    }
    let championScores = champion.scorer(championRows.features, championRows.rowCount)
    let challengerScores = challenger.scorer(challengerRows.features, challengerRows.rowCount)
    let championDecisions = championScores.map { $0 >= champion.threshold ? 1 : 0 }
    let challengerDecisions = challengerScores.map { $0 >= challenger.threshold ? 1 : 0 }
    var byGroup: [String: [String: FlipRates]] = [:]
    for attribute in try champion.encoding().sensitive {
      guard let codes = championRows.sensitive[attribute.name] else { continue }
      for (index, group) in attribute.categories.enumerated() {
        let rows = codes.indices.filter { codes[$0] == Int32(index) }
        guard !rows.isEmpty else { continue }
        byGroup[attribute.name, default: [:]][group] = FlipRates(champion: rows.map { championDecisions[$0] },
                                                                 challenger: rows.map { challengerDecisions[$0] })
      }
    }
    var metrics: [MetricDelta] = []
    if let labelCodes = championRows.labels, !labelCodes.isEmpty {
      metrics = metricDeltas(labels: labelCodes.map(Int.init),
                             champion: PairedMetricBootstrap.Model(predictions: championDecisions, scores: championScores),
                             challenger: PairedMetricBootstrap.Model(predictions: challengerDecisions, scores: challengerScores),
                             bootstrap: bootstrap, seed: seed)
    }
    return ModelComparisonReport(champion: champion.runID, challenger: challenger.runID,
                                 overall: FlipRates(champion: championDecisions, challenger: challengerDecisions),
                                 byGroup: byGroup, metrics: metrics)
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
    var generator = SeededGenerator(seed: seed, stream: 0)
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
    var lines = ["champion \(champion) vs challenger \(challenger) on \(overall.rows) rows",
                 "  flip rate \(percent(overall.flipRate)) (0→1 \(percent(overall.negativeToPositive)), 1→0 \(percent(overall.positiveToNegative)))"]
    for (attribute, groups) in byGroup.sorted(by: { $0.key < $1.key }) {
      for (group, flips) in groups.sorted(by: { $0.key < $1.key }) {
        lines.append("  \(attribute)=\(group) (\(flips.rows) rows): flip rate \(percent(flips.flipRate)) (0→1 \(percent(flips.negativeToPositive)), 1→0 \(percent(flips.positiveToNegative)))")
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
