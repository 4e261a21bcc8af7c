import Foundation
import KilnData
import KilnMetrics
import KilnConfiguration
import KilnRandom

/// The fairness metrics measured on the validation split while training, named
/// `validation.fairness.ATTR.MEASURE` (`validation.fairness.sex.equalized_odds_difference`): the
/// names `FairnessReport.namedMetrics` gives the test evaluation's audit, under `validation.`.
///
/// Only the names asked for are kept: those the experiment's gates name (`fairness.X` becomes
/// `validation.fairness.X`; a wildcard gate keeps every name) and those the caller asks for
/// (a sweep's objectives). They are point values from `FairnessAudit` without a bootstrap, so
/// they are cheap enough for every epoch. Predictions follow the evaluation: a binary model at
/// `evaluation.threshold` (or the threshold `threshold_selection` chooses on this split), after
/// training with the fitted group thresholds; a multi-class model by its most probable class; a
/// regression model by its values.
struct ValidationFairness {
  static let prefix = ValidationMetrics.fairnessPrefix

  /// The validation split's rows (features, labels and sensitive codes), in row order.
  let rows: Batch
  let metadata: DatasetMetadata
  let attributes: [KilnMetrics.SensitiveAttribute]
  let audit: FairnessAudit.Configuration
  let threshold: DecisionThreshold
  /// Exact names, or nil to keep every name (a wildcard gate).
  let requested: Set<String>?
  let seed: UInt64

  /// The validation fairness names `configuration` and `extraMetrics` ask for; empty when none.
  static func requestedNames(_ configuration: ExperimentConfiguration, extraMetrics: [String]) -> [String] {
    let gated = (configuration.gates ?? []).map(\.metric).filter { $0.hasPrefix("fairness.") }.map { "validation." + $0 }
    return gated + extraMetrics.filter { $0.hasPrefix(prefix + ".") }
  }

  /// Nil when nothing asks for a validation fairness metric.
  /// - Throws: `TrainingError` when one is asked for but the evaluation audits no sensitive
  ///   attribute of the dataset, or names one the dataset does not have.
  init?(_ configuration: ExperimentConfiguration, extraMetrics: [String], dataset: KilnDataset) throws {
    let names = Self.requestedNames(configuration, extraMetrics: extraMetrics)
    guard !names.isEmpty else { return nil }
    let metadata = dataset.metadata
    self.metadata = metadata
    let evaluation = configuration.evaluation ?? EvaluationConfiguration()
    let sensitive = evaluation.sensitive ?? metadata.sensitive.map(\.name)
    guard !sensitive.isEmpty else {
      throw TrainingError(.configuration, "\(names[0]) needs a sensitive attribute, but \(configuration.dataset) declares none",
                          hint: "declare sensitive attributes in the dataset recipe and re-import, or remove the fairness gate or objective")
    }
    let rows = try dataset.rows(split: "validation")
    self.rows = rows
    attributes = try sensitive.map { name in
      guard let attribute = metadata.sensitive.first(where: { $0.name == name }) else {
        throw TrainingError(.configuration, "evaluation.sensitive names `\(name)`, which \(configuration.dataset) does not have",
                            hint: "use one of: \(metadata.sensitive.map(\.name).joined(separator: ", "))")
      }
      return KilnMetrics.SensitiveAttribute(name: name, values: (rows.sensitive[name] ?? []).map {
        $0 >= 0 && Int($0) < attribute.categories.count ? attribute.categories[Int($0)] : DatasetMetadata.missingSensitiveLabel
      })
    }
    audit = FairnessAudit.Configuration(intersections: evaluation.intersections ?? [], minimumGroupSize: evaluation.minGroupSize ?? 1,
                                        bootstrap: nil)
    threshold = evaluation.decisionThreshold
    requested = names.contains { $0.contains("*") } ? nil : Set(names)
    seed = configuration.training.seed
  }

  /// The requested metrics from the model's raw outputs on the validation rows, in row order
  /// (one logit, K logits, or one value in raw units per row).
  func metrics(head: ModelHead, outputs: [Float], groupThresholds: GroupThresholds? = nil) throws -> [String: Double] {
    let labels = rows.labels.map(Int.init)
    switch head {
    case .binary:
      precondition(outputs.count == rows.rowCount, "ValidationFairness: \(outputs.count) outputs for \(rows.rowCount) rows")
      let scores = outputs.map { 1 / (1 + Foundation.exp(-Double($0))) }
      var predictions = DecisionThreshold.predictions(
        scores: scores, threshold: threshold.resolved(validationLabels: labels, validationScores: scores).threshold)
      if let groupThresholds {
        let grouping = try metadata.grouping(of: groupThresholds.attributes, rows: rows, key: "the model's group thresholds")
        predictions = try groupThresholds.predictions(scores: scores, groups: grouping.codes.map { grouping.groupName(Int($0)) },
                                                      rowIDs: rows.rowIndices, seed: seed)
      }
      return try binaryMetrics(scores: scores, decisions: predictions)
    case .multiclass(let classCount):
      let predicted = (0..<rows.rowCount).map { row in
        let values = outputs[(row * classCount)..<((row + 1) * classCount)]
        return values.firstIndex(of: values.max() ?? 0).map { $0 - row * classCount } ?? 0
      }
      var generator = SeededGenerator(seed: seed, stream: .bootstrap)
      return named(try FairnessAudit.multiclass(labels: labels, predicted: predicted, classCount: classCount, attributes: attributes,
                                                configuration: audit, using: &generator))
    case .regression:
      return try regressionMetrics(predictions: outputs.map { head.prediction(fromOutput: $0) })
    }
  }

  /// The requested metrics of a binary model's scores and 0/1 decisions on the validation rows
  /// (a reduction's mixture: its expected score and seeded decisions).
  func binaryMetrics(scores: [Double], decisions: [Int]) throws -> [String: Double] {
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    return named(try FairnessAudit.report(labels: rows.labels.map(Int.init), predictions: decisions, scores: scores, attributes: attributes,
                                          configuration: audit, using: &generator))
  }

  /// The requested metrics of a regression model's predictions in raw units on the validation rows.
  func regressionMetrics(predictions: [Double]) throws -> [String: Double] {
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    return named(try FairnessAudit.regression(targets: rows.targets.map(Double.init), predictions: predictions, attributes: attributes,
                                              configuration: audit, using: &generator))
  }

  /// The report's point values under their validation names, those requested only.
  private func named(_ report: FairnessReport) -> [String: Double] {
    var named: [String: Double] = [:]
    for (name, estimate) in report.namedMetrics(prefix: Self.prefix) where requested?.contains(name) ?? true {
      named[name] = estimate.value
    }
    return named
  }
}
