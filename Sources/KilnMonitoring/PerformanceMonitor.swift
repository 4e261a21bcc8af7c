import KilnOutput
import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnReport
import KilnTensor
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// One monitored figure on a labelled batch beside its baseline.
public struct MetricComparison: Codable, Sendable, Equatable {
  public var name: String
  public var current: Double
  /// The bootstrap interval of the current figure (when the experiment asks for a bootstrap).
  public var currentInterval: ConfidenceInterval?
  /// The model run's figure: `test.*` or `fairness.*` when the run was evaluated, else `validation.*`.
  public var baseline: Double?
  /// The tracked metric the baseline was read from.
  public var baselineMetric: String?
  /// Whether the change exceeds the allowed drop (performance) or increase (fairness differences).
  public var degraded: Bool

  enum CodingKeys: String, CodingKey {
    case name, current, baseline, degraded
    case currentInterval = "current_interval"
    case baselineMetric = "baseline_metric"
  }
}

/// What `kiln monitor` found on a labelled batch.
public struct PerformanceMonitorReport: Codable, Sendable, Equatable, CommandOutput {
  public var model: String
  public var run: String
  public var rows: Int
  /// The model's kind: binary, multiclass or regression.
  public var labelKind: LabelKind
  /// The decision threshold (binary models; nil for the others).
  public var threshold: Double?
  public var comparisons: [MetricComparison]
  /// Whether any figure degraded beyond the `monitoring:` block's limits.
  public var degraded: Bool
  /// The audit log's head when the report was made.
  public var auditHead: AuditHead? = nil

  enum CodingKeys: String, CodingKey {
    case model, run, rows, threshold, comparisons, degraded
    case labelKind = "label_kind"
    case auditHead = "audit_head"
  }

  /// Writes `monitor.json` into `directory` (created if needed) atomically.
  public func write(to directory: URL) throws {
    try ReportWriter.writeAtomically(try json() + "\n", to: directory.appendingPathComponent("monitor.json"))
  }

  /// One line per figure.
  public func text() -> String {
    let setting = threshold.map { " at threshold \(String(format: "%.3f", $0))" } ?? " (\(labelKind.rawValue))"
    var lines = ["Monitor \(model) (run \(run)) on \(rows) labelled rows\(setting): " + (degraded ? "DEGRADED" : "ok")]
    for comparison in comparisons {
      let baseline = comparison.baseline.map { String(format: "%.4f (%@)", $0, comparison.baselineMetric ?? "") } ?? "no baseline"
      let interval = comparison.currentInterval.map { String(format: " [%.4f, %.4f]", $0.lower, $0.upper) } ?? ""
      lines.append("  \(comparison.name.padding(toLength: max(46, comparison.name.count), withPad: " ", startingAt: 0)) \(String(format: "%.4f", comparison.current))\(interval)  vs \(baseline)\(comparison.degraded ? "  DEGRADED" : "")")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

/// `kiln monitor`: recomputes performance and fairness on a labelled batch (a raw CSV with the
/// label column) and compares them with the figures tracked on the model's run.
public struct PerformanceMonitorRequest {
  public var model: MonitoredModel
  public var labelled: URL
  /// What counts as degradation, from the `monitoring:` block.
  public var rules: DegradationRules

  public init(model: MonitoredModel, labelled: URL, monitoring: MonitoringConfiguration?) {
    self.model = model
    self.labelled = labelled
    rules = DegradationRules(monitoring)
  }

  /// - Throws: `DatasetError` naming the file and line of a malformed row; `MonitoringError` when
  ///   the batch has no usable labels.
  public func run(layout: ProjectLayout) throws -> PerformanceMonitorReport {
    var report = try measure(layout: layout)
    report.auditHead = Tracker.currentAuditHead(layout: layout)
    return report
  }

  /// The performance metrics `kiln monitor` compares, by label kind (`test.…` or `validation.…` baselines).
  public static func comparedMetrics(_ kind: LabelKind) -> [String] {
    switch kind {
    case .binary: return ["accuracy", "roc_auc"]
    case .multiclass: return ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "log_loss", "roc_auc_ovr"]
    case .regression: return ["rmse", "mae", "r2"]
    }
  }

  /// The fairness figures it compares for each sensitive attribute (`fairness.ATTR.NAME`), by label kind.
  public static func comparedFairness(_ kind: LabelKind) -> [String] {
    switch kind {
    case .binary: return ["demographic_parity_difference", "equalized_odds_difference"]
    case .multiclass: return ["accuracy_difference", "macro_f1_difference"]
    case .regression: return ["mae_difference", "rmse_difference", "mean_prediction_difference"]
    }
  }

  /// The head's performance report and the fairness audit on the labelled batch — with the
  /// experiment's bootstrap, seeded by its seed, so the same batch gives the same intervals —
  /// beside the run's tracked figures.
  /// - Throws: `MonitoringError` when a row has no label of the model's classes or no numeric target.
  func measure(layout: ProjectLayout) throws -> PerformanceMonitorReport {
    let encoding = try model.encoding()
    let rows = try encoding.encode(csvFile: labelled)
    let attributes = Self.sensitiveAttributes(rows: rows, encoding: encoding)
    var generator = SeededGenerator(seed: model.configuration.training.seed, stream: .bootstrap)
    let bootstrap = model.experimentBootstrap
    let audit = FairnessAudit.Configuration(minimumGroupSize: model.configuration.evaluation?.minGroupSize ?? 1, bootstrap: bootstrap)
    let column = encoding.label?.column ?? "the label column"
    let performance: [String: MetricEstimate]
    var fairness: FairnessReport?
    // Rows are identified by their raw row, as batch scoring identifies them, so a mitigated
    // model's seeded draws are the ones `kiln predict` makes on the same file.
    let rowIDs = rows.sourceRows, seed = model.configuration.training.seed
    var predicted = model.predict(rows.features, rows.rowCount)
    if let drawn = model.mixtureValues?(rows.features, rows.rowCount, rowIDs, seed) { predicted = .values(drawn) }
    switch predicted {
    case .scores(let scores):
      guard let codes = rows.labels, rows.rowCount > 0 else {
        throw MonitoringError("\(labelled.path): some rows have no label of the two classes",
                              hint: "monitoring needs every row labelled (\(column))")
      }
      let labels = codes.map(Int.init)
      let predictions = try decisions(scores: scores, rows: rows, encoding: encoding, rowIDs: rowIDs, seed: seed)
      performance = BinaryClassificationReport(labels: labels, predictions: predictions, scores: scores, bootstrap: bootstrap,
                                               using: &generator).metrics
      if !attributes.isEmpty {
        fairness = try FairnessAudit.report(labels: labels, predictions: predictions, scores: scores, attributes: attributes,
                                            configuration: audit, using: &generator)
      }
    case .probabilities(let predicted):
      let classes = model.classNames
      guard let codes = rows.labels, rows.rowCount > 0 else {
        throw MonitoringError("\(labelled.path): some rows have no label among the model's classes \(classes.joined(separator: ", "))",
                              hint: "monitoring needs every row labelled with one of the classes (\(column))")
      }
      let labels = codes.map(Int.init)
      performance = MulticlassClassificationReport(labels: labels, classProbabilities: predicted, classNames: classes,
                                                   bootstrap: bootstrap, using: &generator).metrics
      if !attributes.isEmpty {
        fairness = try FairnessAudit.multiclass(labels: labels, predicted: MulticlassMetrics.predictedClasses(predicted),
                                                classCount: classes.count, attributes: attributes, configuration: audit,
                                                using: &generator)
      }
    case .values(let predictions):
      guard let targets = rows.targets, rows.rowCount > 0 else {
        throw MonitoringError("\(labelled.path): some rows have no numeric target",
                              hint: "monitoring needs a number in \(column) on every row")
      }
      let truth = targets.map(Double.init)
      performance = RegressionReport(targets: truth, predictions: predictions, bootstrap: bootstrap, using: &generator).metrics
      if !attributes.isEmpty {
        fairness = try FairnessAudit.regression(targets: truth, predictions: predictions, attributes: attributes,
                                                configuration: audit, using: &generator)
      }
    }
    let tracked = try Tracker(layout: layout).store.latestMetrics(runID: model.runID).mapValues(\.value)
    var comparisons = Self.comparedMetrics(model.labelKind).compactMap { metric -> MetricComparison? in
      guard let estimate = performance[metric], estimate.value.isFinite else { return nil }
      let key = ["test.\(metric)", "validation.\(metric)"].first { tracked[$0] != nil }
      return comparison(name: metric, estimate: estimate, baselineKey: key, tracked: tracked)
    }
    let named = fairness?.namedMetrics() ?? [:]
    for attribute in attributes.map(\.name) {
      for measure in Self.comparedFairness(model.labelKind) {
        let key = "fairness.\(attribute).\(measure)"
        guard let estimate = named[key], estimate.value.isFinite else { continue }
        comparisons.append(comparison(name: key, estimate: estimate, baselineKey: tracked[key] == nil ? nil : key, tracked: tracked))
      }
    }
    return PerformanceMonitorReport(model: model.name, run: model.runID, rows: rows.rowCount, labelKind: model.labelKind,
                                    threshold: model.labelKind == .binary ? model.threshold : nil, comparisons: comparisons,
                                    degraded: comparisons.contains(where: \.degraded))
  }

  /// A figure beside its tracked baseline, judged by the degradation rules.
  func comparison(name: String, estimate: MetricEstimate, baselineKey: String?, tracked: [String: Double]) -> MetricComparison {
    let baseline = baselineKey.flatMap { tracked[$0] }
    return MetricComparison(name: name, current: estimate.value, currentInterval: estimate.interval,
                            baseline: baseline, baselineMetric: baselineKey,
                            degraded: baseline.map { rules.isDegraded(metric: name, current: estimate.value, baseline: $0) } ?? false)
  }

  /// The model's decisions as evaluation and batch scoring make them: a reduction's seeded
  /// mixture, else its group thresholds (by each row's sensitive groups), else its threshold.
  /// - Throws: `MonitoringError` when the encoding lacks an attribute the thresholds read, or a
  ///   row's group has no fitted threshold.
  func decisions(scores: [Double], rows: EncodedRows, encoding: DatasetEncoding, rowIDs: [Int], seed: UInt64) throws -> [Int] {
    if let mixed = model.mixtureDecisions?(rows.features, rows.rowCount, rowIDs, seed) { return mixed }
    guard let thresholds = model.groupThresholds else { return scores.map { $0 >= model.threshold ? 1 : 0 } }
    let attributes = try encoding.sensitiveColumns(readBy: thresholds, toDo: "monitor").map(\.0)
    let groups = SensitiveEncoding.groupNames(attributes, codes: rows.sensitive, rowCount: rows.rowCount)
    if let row = groups.firstIndex(where: { thresholds.rules[$0] == nil }) {
      throw MonitoringError("\(labelled.path): data row \(rowIDs[row]) (counting from 0, as `kiln predict`'s row_id): "
                            + "`\(thresholds.grouping)` = `\(groups[row])` has no fitted group threshold "
                            + "(the model knows: \(thresholds.rules.keys.sorted().joined(separator: ", ")))",
                            hint: "monitor rows of the groups the thresholds were fitted on, or refit them on data holding this group")
    }
    return try thresholds.predictions(scores: scores, groups: groups, rowIDs: rowIDs, seed: seed)
  }

  /// The batch's sensitive attributes as group names (`<missing>` for a code outside the categories).
  static func sensitiveAttributes(rows: EncodedRows, encoding: DatasetEncoding) -> [KilnMetrics.SensitiveAttribute] {
    encoding.sensitive.map { attribute in
      KilnMetrics.SensitiveAttribute(name: attribute.name, values: (rows.sensitive[attribute.name] ?? []).map {
        $0 >= 0 && Int($0) < attribute.categories.count ? attribute.categories[Int($0)] : DatasetMetadata.missingSensitiveLabel
      })
    }
  }
}
