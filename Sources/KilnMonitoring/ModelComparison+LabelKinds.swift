import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import KilnConfiguration
import KilnTraining
import KilnEvaluation

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

extension ModelComparisonReport {
  /// The regression metrics whose deltas `kiln compare-models` reports.
  public static let comparedRegressionMetrics = ["rmse", "mae", "r2"]

  /// Checks that two models can be compared: the same kind and, for multi-class models, the same classes in the same order.
  /// - Throws: `MonitoringError` naming both runs and what differs.
  static func requireComparable(_ champion: MonitoredModel, _ challenger: MonitoredModel) throws {
    guard champion.labelKind == challenger.labelKind else {
      throw MonitoringError("cannot compare run \(champion.runID) (a \(champion.labelKind.rawValue) model) with run \(challenger.runID) (a \(challenger.labelKind.rawValue) model)",
                            hint: "compare two models of the same label kind, trained on the same label")
    }
    if case .multiclass(let championClasses, _) = champion.scoringHead, case .multiclass(let challengerClasses, _) = challenger.scoringHead,
       championClasses != challengerClasses {
      throw MonitoringError("cannot compare run \(champion.runID) (classes \(championClasses.joined(separator: ", "))) with run \(challenger.runID) (classes \(challengerClasses.joined(separator: ", ")))",
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

  /// The shadow comparison of two multi-class models (flips are changed predicted classes) or two
  /// regression models (mean absolute prediction difference), with paired metric deltas on labelled rows.
  static func compareLabelKinds(champion: MonitoredModel, challenger: MonitoredModel, input: URL,
                                bootstrap: BootstrapConfiguration?, seed: UInt64) throws -> ModelComparisonReport {
    let (championRows, challengerRows, groups) = try encodeBoth(champion, challenger, input: input)
    var report = ModelComparisonReport(champion: champion.runID, challenger: challenger.runID, labelKind: champion.labelKind,
                                       overall: nil, byGroup: [:], predictionDifference: nil, predictionDifferenceByGroup: [:],
                                       metrics: [])
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    switch (champion.scoringHead, challenger.scoringHead) {
    case (.multiclass(let classes, let championModel), .multiclass(_, let challengerModel)):
      let before = championModel(championRows.features, championRows.rowCount)
      let after = challengerModel(challengerRows.features, challengerRows.rowCount)
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
    case (.regression(let championModel), .regression(let challengerModel)):
      let before = championModel(championRows.features, championRows.rowCount)
      let after = challengerModel(challengerRows.features, challengerRows.rowCount)
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
      preconditionFailure("ModelComparisonReport.compareLabelKinds: needs two multiclass or two regression models")
    }
    return report
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
