import KilnOutput
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

/// How far two regression models' predictions lie apart on the same rows, overall or within one group.
public struct PredictionDifference: Codable, Sendable, Equatable {
  public var rows: Int
  /// (1/n) Σ |challenger − champion|, in the target's units.
  public var meanAbsoluteDifference: Double

  enum CodingKeys: String, CodingKey {
    case rows
    case meanAbsoluteDifference = "mean_absolute_difference"
  }

  init(champion: [Double], challenger: [Double]) {
    rows = champion.count
    meanAbsoluteDifference = rows == 0 ? 0 : zip(champion, challenger).reduce(0) { $0 + abs($1.1 - $1.0) } / Double(rows)
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
public struct ModelComparisonReport: Codable, Sendable, Equatable, CommandOutput {
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

  /// The regression metrics whose deltas `kiln compare-models` reports.
  public static let comparedRegressionMetrics = ["rmse", "mae", "r2"]

  /// Scores `input` (a raw CSV) with both models, each through its own dataset's encoding, and
  /// compares them as their heads ask: changed decisions (binary) or predicted classes
  /// (multi-class) overall and per group, or the mean absolute prediction difference
  /// (regression); on labelled rows, each metric of both models with the delta's paired interval.
  /// - Parameters:
  ///   - bootstrap: resamples and level of the paired intervals on the metric deltas, or nil for none.
  ///   - seed: seeds the bootstrap (`SeededGenerator(seed:stream: .bootstrap)`): the same batch and seed give the same intervals.
  /// - Throws: `MonitoringError` when the models differ in kind or classes, or the two encodings keep different rows of the file.
  public static func compare(champion: MonitoredModel, challenger: MonitoredModel, input: URL,
                             bootstrap: BootstrapConfiguration? = BootstrapConfiguration(), seed: UInt64 = 0) throws -> ModelComparisonReport {
    try requireComparable(champion, challenger)
    let (championRows, challengerRows, groups) = try encodeBoth(champion, challenger, input: input)
    var report = ModelComparisonReport(champion: champion.runID, challenger: challenger.runID, labelKind: champion.labelKind,
                                       overall: nil, byGroup: [:], predictionDifference: nil, predictionDifferenceByGroup: [:],
                                       metrics: [])
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    switch (champion.predict(championRows.features, championRows.rowCount), challenger.predict(challengerRows.features, challengerRows.rowCount)) {
    case (.scores(let championScores), .scores(let challengerScores)):
      let before = championScores.map { $0 >= champion.threshold ? 1 : 0 }, after = challengerScores.map { $0 >= challenger.threshold ? 1 : 0 }
      report.overall = FlipRates(champion: before, challenger: after)
      report.byGroup = groups.mapValues { $0.mapValues { rows in FlipRates(champion: rows.map { before[$0] }, challenger: rows.map { after[$0] }) } }
      if let codes = championRows.labels, !codes.isEmpty {
        let labels = codes.map(Int.init)
        let championModel = PairedMetricBootstrap.Model(predictions: before, scores: championScores)
        let challengerModel = PairedMetricBootstrap.Model(predictions: after, scores: challengerScores)
        let championReport = BinaryClassificationReport(labels: labels, predictions: before, scores: championScores, using: &generator)
        let challengerReport = BinaryClassificationReport(labels: labels, predictions: after, scores: challengerScores, using: &generator)
        let intervals = bootstrap.map {
          PairedMetricBootstrap(labels: labels, champion: championModel, challenger: challengerModel).deltaIntervals(configuration: $0, using: &generator)
        } ?? [:]
        report.metrics = deltas(comparedMetrics, championReport.metrics, challengerReport.metrics, intervals)
      }
    case (.probabilities(let before), .probabilities(let after)):
      let classes = champion.classNames
      let beforeClasses = MulticlassMetrics.predictedClasses(before), afterClasses = MulticlassMetrics.predictedClasses(after)
      report.overall = FlipRates(championClasses: beforeClasses, challengerClasses: afterClasses)
      report.byGroup = groups.mapValues { $0.mapValues { rows in
        FlipRates(championClasses: rows.map { beforeClasses[$0] }, challengerClasses: rows.map { afterClasses[$0] })
      } }
      if let codes = championRows.labels, !codes.isEmpty {
        let labels = codes.map(Int.init)
        let championReport = MulticlassClassificationReport(labels: labels, classProbabilities: before, classNames: classes, using: &generator)
        let challengerReport = MulticlassClassificationReport(labels: labels, classProbabilities: after, classNames: classes, using: &generator)
        let intervals = bootstrap.map {
          PairedMetricBootstrap(labels: labels, championProbabilities: before, challengerProbabilities: after, classCount: classes.count)
            .deltaIntervals(configuration: $0, using: &generator)
        } ?? [:]
        report.metrics = deltas(MulticlassClassificationReport.metricNames, championReport.metrics, challengerReport.metrics, intervals)
      }
    case (.values(let before), .values(let after)):
      report.predictionDifference = PredictionDifference(champion: before, challenger: after)
      report.predictionDifferenceByGroup = groups.mapValues { $0.mapValues { rows in
        PredictionDifference(champion: rows.map { before[$0] }, challenger: rows.map { after[$0] })
      } }
      if let targets = championRows.targets, !targets.isEmpty {
        let truth = targets.map(Double.init)
        let championReport = RegressionReport(targets: truth, predictions: before, using: &generator)
        let challengerReport = RegressionReport(targets: truth, predictions: after, using: &generator)
        let intervals = bootstrap.map {
          PairedMetricBootstrap(targets: truth, championPredictions: before, challengerPredictions: after)
            .deltaIntervals(configuration: $0, using: &generator)
        } ?? [:]
        report.metrics = deltas(comparedRegressionMetrics, championReport.metrics, challengerReport.metrics, intervals)
      }
    default:
      preconditionFailure("ModelComparisonReport.compare: requireComparable lets only two models of one kind through")
    }
    return report
  }

  /// The paired bootstrap `kiln compare-models` uses, like `kiln monitor`'s: the champion experiment's
  /// `evaluation.bootstrap` (else 1,000 resamples at 95%), with `resamples` overriding the count; nil when it is 0.
  public static func bootstrap(for champion: MonitoredModel, resamples: Int?) -> BootstrapConfiguration? {
    if resamples == 0 { return nil }
    var bootstrap = champion.experimentBootstrap ?? BootstrapConfiguration()
    if let resamples { bootstrap.resamples = resamples }
    return bootstrap
  }

  /// A summary for the terminal.
  public func text() -> String {
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

extension ModelComparisonReport {
  /// Checks that two models can be compared: the same kind and, for multi-class models, the same classes in the same order.
  /// - Throws: `MonitoringError` naming both runs and what differs.
  static func requireComparable(_ champion: MonitoredModel, _ challenger: MonitoredModel) throws {
    guard champion.labelKind == challenger.labelKind else {
      throw MonitoringError("cannot compare run \(champion.runID) (a \(champion.labelKind.rawValue) model) with run \(challenger.runID) (a \(challenger.labelKind.rawValue) model)",
                            hint: "compare two models of the same label kind, trained on the same label")
    }
    if champion.labelKind == .multiclass, champion.classNames != challenger.classNames {
      throw MonitoringError("cannot compare run \(champion.runID) (classes \(champion.classNames.joined(separator: ", "))) with run \(challenger.runID) (classes \(challenger.classNames.joined(separator: ", ")))",
                            hint: "compare two multiclass models trained on the same class list, in the same order")
    }
  }

  /// Encodes `input` through each model's own dataset encoding; returns both models' rows and,
  /// per sensitive attribute of the champion's encoding, each non-empty group's row indices.
  /// - Throws: `MonitoringError` when the two encodings keep different rows of the file.
  static func encodeBoth(_ champion: MonitoredModel, _ challenger: MonitoredModel, input: URL) throws
    -> (champion: EncodedRows, challenger: EncodedRows, groups: [String: [String: [Int]]]) {
    let championEncoding = try champion.encoding()
    let championRows = try championEncoding.encode(csvFile: input)
    let challengerRows = try challenger.encoding().encode(csvFile: input)
    guard championRows.sourceRows == challengerRows.sourceRows else {
      throw MonitoringError("\(input.path): the two models' encodings keep different rows (\(championRows.rowCount) and \(challengerRows.rowCount))",
                            hint: "compare on rows without missing values")
    }
    var groups: [String: [String: [Int]]] = [:]
    for attribute in championEncoding.sensitive {
      guard let codes = championRows.sensitive[attribute.name] else { continue }
      var members = [[Int]](repeating: [], count: attribute.categories.count)
      for (row, code) in codes.enumerated() where code >= 0 && Int(code) < members.count { members[Int(code)].append(row) }
      for (index, rows) in members.enumerated() where !rows.isEmpty { groups[attribute.name, default: [:]][attribute.categories[index]] = rows }
    }
    return (championRows, challengerRows, groups)
  }

  /// Each named metric of both models, its delta and the delta's interval.
  static func deltas(_ names: [String], _ champion: [String: MetricEstimate], _ challenger: [String: MetricEstimate],
                     _ intervals: [String: ConfidenceInterval]) -> [MetricDelta] {
    names.compactMap { name in
      guard let before = champion[name]?.value, let after = challenger[name]?.value else { return nil }
      return MetricDelta(name: name, champion: before, challenger: after, delta: after - before, deltaInterval: intervals[name])
    }
  }
}
