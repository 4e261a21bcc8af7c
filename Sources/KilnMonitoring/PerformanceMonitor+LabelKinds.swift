import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnTensor
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension PerformanceMonitorRequest {
  /// The performance metrics `kiln monitor` compares for a multi-class model.
  public static let multiclassMetrics = ["accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "log_loss", "roc_auc_ovr"]
  /// The group-wise fairness measures it compares for a multi-class model (`fairness.ATTR.NAME`).
  public static let multiclassFairness = ["accuracy_difference", "macro_f1_difference"]
  /// The performance metrics it compares for a regression model.
  public static let regressionMetrics = ["rmse", "mae", "r2"]
  /// The group-wise fairness measures it compares for a regression model.
  public static let regressionFairness = ["mae_difference", "rmse_difference", "mean_prediction_difference"]

  /// `kiln monitor` for a multi-class or regression model: the kind's performance report and
  /// group-wise fairness (MetricFrame style) on the labelled batch — with the experiment's
  /// bootstrap, seeded by its seed as the binary path is — beside the run's tracked figures.
  /// - Throws: `MonitoringError` when a row has no class of the model's list or no numeric target.
  func runLabelKind(layout: ProjectLayout) throws -> PerformanceMonitorReport {
    let encoding = try model.encoding()
    let rows = try encoding.encode(csvFile: labelled)
    let attributes = Self.sensitiveAttributes(rows: rows, encoding: encoding)
    var generator = SeededGenerator(seed: model.configuration.training.seed, stream: .bootstrap)
    let bootstrap = model.experimentBootstrap
    let audit = FairnessAudit.Configuration(minimumGroupSize: model.configuration.evaluation?.minGroupSize ?? 1, bootstrap: bootstrap)
    let column = encoding.label?.column ?? "the label column"
    let performance: [String: MetricEstimate], metricNames: [String], fairnessNames: [String]
    var fairness: GroupedMetricsReport?
    switch model.scoringHead {
    case .multiclass(let classes, let probabilities):
      guard let codes = rows.labels, rows.rowCount > 0 else {
        throw MonitoringError("\(labelled.path): some rows have no label among the model's classes \(classes.joined(separator: ", "))",
                              hint: "monitoring needs every row labelled with one of the classes (\(column))")
      }
      let labels = codes.map(Int.init)
      let predicted = probabilities(rows.features, rows.rowCount)
      performance = MulticlassClassificationReport(labels: labels, classProbabilities: predicted, classNames: classes,
                                                   bootstrap: bootstrap, using: &generator).metrics
      if !attributes.isEmpty {
        fairness = try GroupedMetricsAudit.multiclass(labels: labels, predicted: MulticlassMetrics.predictedClasses(predicted),
                                                      classCount: classes.count, attributes: attributes, configuration: audit,
                                                      using: &generator)
      }
      metricNames = Self.multiclassMetrics
      fairnessNames = Self.multiclassFairness
    case .regression(let predict):
      guard let targets = rows.targets, rows.rowCount > 0 else {
        throw MonitoringError("\(labelled.path): some rows have no numeric target",
                              hint: "monitoring needs a number in \(column) on every row")
      }
      let truth = targets.map(Double.init), predictions = predict(rows.features, rows.rowCount)
      performance = RegressionReport(targets: truth, predictions: predictions, bootstrap: bootstrap, using: &generator).metrics
      if !attributes.isEmpty {
        fairness = try GroupedMetricsAudit.regression(targets: truth, predictions: predictions, attributes: attributes,
                                                      configuration: audit, using: &generator)
      }
      metricNames = Self.regressionMetrics
      fairnessNames = Self.regressionFairness
    case .binary:
      preconditionFailure("PerformanceMonitorRequest.runLabelKind: binary models go through run(layout:)")
    }
    let tracked = try Tracker(layout: layout).store.latestMetrics(runID: model.runID).mapValues(\.value)
    var comparisons = metricNames.compactMap { metric -> MetricComparison? in
      guard let estimate = performance[metric], estimate.value.isFinite else { return nil }
      let key = ["test.\(metric)", "validation.\(metric)"].first { tracked[$0] != nil }
      return comparison(name: metric, estimate: estimate, baselineKey: key, tracked: tracked)
    }
    let named = fairness?.namedMetrics() ?? [:]
    for attribute in attributes.map(\.name) {
      for measure in fairnessNames {
        let key = "fairness.\(attribute).\(measure)"
        guard let estimate = named[key], estimate.value.isFinite else { continue }
        comparisons.append(comparison(name: key, estimate: estimate, baselineKey: tracked[key] == nil ? nil : key, tracked: tracked))
      }
    }
    return PerformanceMonitorReport(model: model.name, run: model.runID, rows: rows.rowCount, labelKind: model.labelKind,
                                    threshold: nil, comparisons: comparisons, degraded: comparisons.contains(where: \.degraded))
  }

  /// A figure beside its tracked baseline, judged by the degradation rules.
  func comparison(name: String, estimate: MetricEstimate, baselineKey: String?, tracked: [String: Double]) -> MetricComparison {
    let baseline = baselineKey.flatMap { tracked[$0] }
    return MetricComparison(name: name, current: estimate.value, currentInterval: estimate.interval,
                            baseline: baseline, baselineMetric: baselineKey,
                            degraded: baseline.map { rules.isDegraded(metric: name, current: estimate.value, baseline: $0) } ?? false)
  }

  /// The batch's sensitive attributes as group names (`<missing>` for a code outside the categories).
  static func sensitiveAttributes(rows: EncodedRows, encoding: DatasetEncoding) -> [KilnMetrics.SensitiveAttribute] {
    encoding.sensitive.map { attribute in
      KilnMetrics.SensitiveAttribute(name: attribute.name, values: (rows.sensitive[attribute.name] ?? []).map {
        $0 >= 0 && Int($0) < attribute.categories.count ? attribute.categories[Int($0)] : "<missing>"
      })
    }
  }
}
