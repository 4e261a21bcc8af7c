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
public struct PerformanceMonitorReport: Codable, Sendable, Equatable {
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

  /// Pretty, key-sorted JSON.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }

  /// Writes `monitor.json` into `directory` (created if needed) atomically.
  public func write(to directory: URL) throws {
    try ReportWriter.writeAtomically(String(decoding: try jsonData(), as: UTF8.self) + "\n", to: directory.appendingPathComponent("monitor.json"))
  }

  /// One line per figure.
  public func renderedText() -> String {
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

  func measure(layout: ProjectLayout) throws -> PerformanceMonitorReport {
    guard model.labelKind == .binary else { return try runLabelKind(layout: layout) }
    let encoding = try model.encoding()
    let rows = try encoding.encode(csvFile: labelled)
    guard let labelCodes = rows.labels, rows.rowCount > 0 else {
      throw MonitoringError("\(labelled.path): some rows have no label of the two classes",
                            hint: "monitoring needs every row labelled (\(encoding.label?.column ?? "the label column"))")
    }
    let labels = labelCodes.map(Int.init)
    let scores = model.scorer(rows.features, rows.rowCount)
    let predictions = scores.map { $0 >= model.threshold ? 1 : 0 }
    // The experiment's bootstrap, seeded by its seed: the same batch gives the same intervals.
    var generator = SeededGenerator(seed: model.configuration.training.seed, stream: .bootstrap)
    let bootstrap = model.experimentBootstrap
    let performance = BinaryClassificationReport(labels: labels, predictions: predictions, scores: scores, bootstrap: bootstrap,
                                                 using: &generator)
    let attributes = Self.sensitiveAttributes(rows: rows, encoding: encoding)
    let fairness = attributes.isEmpty ? nil
      : try FairnessAudit.report(labels: labels, predictions: predictions, scores: scores, attributes: attributes,
                                 configuration: .init(minimumGroupSize: model.configuration.evaluation?.minGroupSize ?? 1, bootstrap: bootstrap),
                                 using: &generator)
    let tracked = try Tracker(layout: layout).store.latestMetrics(runID: model.runID).mapValues(\.value)
    var comparisons: [MetricComparison] = []
    for metric in ["accuracy", "roc_auc"] {
      guard let estimate = performance.metrics[metric] else { continue }
      let key = ["test.\(metric)", "validation.\(metric)"].first { tracked[$0] != nil }
      let baseline = key.flatMap { tracked[$0] }
      let current = estimate.value
      comparisons.append(MetricComparison(name: metric, current: current, currentInterval: estimate.interval,
                                          baseline: baseline, baselineMetric: key,
                                          degraded: baseline.map { rules.isDegraded(metric: metric, current: current, baseline: $0) } ?? false))
    }
    let named = fairness?.namedMetrics() ?? [:]
    for attribute in attributes.map(\.name) {
      for measure in ["demographic_parity_difference", "equalized_odds_difference"] {
        let key = "fairness.\(attribute).\(measure)"
        guard let estimate = named[key], estimate.value.isFinite else { continue }
        let current = estimate.value
        let baseline = tracked[key]
        comparisons.append(MetricComparison(name: key, current: current, currentInterval: estimate.interval,
                                            baseline: baseline, baselineMetric: baseline == nil ? nil : key,
                                            degraded: baseline.map { rules.isDegraded(metric: key, current: current, baseline: $0) } ?? false))
      }
    }
    return PerformanceMonitorReport(model: model.name, run: model.runID, rows: rows.rowCount, labelKind: .binary, threshold: model.threshold,
                                    comparisons: comparisons, degraded: comparisons.contains(where: \.degraded))
  }
}
