import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnTensor

/// A model that says what its label is and predicts accordingly (a `TrainedModel`).
public protocol LabelKindPredictor {
  var labelKind: LabelKind { get }
  /// Class probabilities per row (classification models).
  func classProbabilities(features: [Float], rowCount: Int) -> [[Double]]
  /// Predictions in the target's raw units (regression models).
  func regressionPredictions(features: [Float], rowCount: Int) -> [Double]
}

extension TrainedModel: LabelKindPredictor {}

extension Evaluator {
  /// Evaluates a multi-class or regression model on already-checked rows: performance with
  /// bootstrap intervals, group-wise fairness (MetricFrame style) and the perturbations that do
  /// not need a binary decision. Gradient attacks and subgroup shift are binary-only: when
  /// configured they are left out and the result's `notes` say so.
  func evaluateLabelKind(_ model: LabelKindPredictor, dataset: KilnDataset, rows: Batch, split: String,
                         sensitiveNames: [String], runID: String?) throws -> EvaluationResult {
    let metadata = dataset.metadata
    let kind = model.labelKind
    guard kind == metadata.labelKind else {
      throw EvaluationError(.invalidConfiguration,
                            "\(dataset.url.path): the model is \(kind.rawValue) but the dataset's label is \(metadata.labelKind.rawValue)",
                            hint: "evaluate the model on the dataset it was trained on")
    }
    let bootstrap = configuration.bootstrap.map { BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95) }
      ?? BootstrapConfiguration()
    var generator = SeededGenerator(seed: seed, stream: 0x65_76_61_6c)
    var result = EvaluationResult(runID: runID, split: split, rowCount: rows.rowCount, datasetFingerprint: metadata.fingerprint,
                                  labelKind: kind, namedMetrics: [:])
    var notes: [String] = []
    if configuration.threshold != nil || configuration.thresholdSelection != nil {
      notes.append("evaluation.threshold and threshold_selection apply to binary models only; the \(kind.rawValue) model predicts "
                   + (kind == .regression ? "values" : "the most probable class"))
    }
    let attributes = sensitiveNames.map { name in
      let attribute = metadata.sensitive.first { $0.name == name }!
      return KilnMetrics.SensitiveAttribute(name: name, values: (rows.sensitive[name] ?? []).map { $0 >= 0 ? attribute.categories[Int($0)] : "<missing>" })
    }
    let audit = FairnessAudit.Configuration(intersections: configuration.intersections ?? [],
                                            minimumGroupSize: configuration.minGroupSize ?? 1, bootstrap: bootstrap)
    let headline: ([Float]) -> [Double]
    if kind == .regression {
      let targets = rows.targets.map(Double.init)
      let predictions = model.regressionPredictions(features: rows.features, rowCount: rows.rowCount)
      let report = RegressionReport(targets: targets, predictions: predictions, bootstrap: bootstrap, using: &generator)
      result.regression = report
      result.namedMetrics = report.namedMetrics(split: split)
      if !attributes.isEmpty {
        result.groupedFairness = try GroupedMetricsAudit.regression(targets: targets, predictions: predictions, attributes: attributes,
                                                                     configuration: audit, using: &generator)
      }
      headline = { features in zip(model.regressionPredictions(features: features, rowCount: rows.rowCount), targets).map { ($0 - $1) * ($0 - $1) } }
    } else {
      let labels = rows.labels.map(Int.init)
      let probabilities = model.classProbabilities(features: rows.features, rowCount: rows.rowCount)
      let report = MulticlassClassificationReport(labels: labels, classProbabilities: probabilities, classNames: metadata.classes,
                                                  bootstrap: bootstrap, using: &generator)
      result.multiclass = report
      result.namedMetrics = report.namedMetrics(split: split)
      if !attributes.isEmpty {
        result.groupedFairness = try GroupedMetricsAudit.multiclass(
          labels: labels, predicted: MulticlassMetrics.predictedClasses(probabilities), classCount: metadata.classes.count,
          attributes: attributes, configuration: audit, using: &generator)
      }
      headline = { features in
        zip(MulticlassMetrics.predictedClasses(model.classProbabilities(features: features, rowCount: rows.rowCount)), labels).map { $0 == $1 ? 1 : 0 }
      }
    }
    if let grouped = result.groupedFairness { result.namedMetrics.merge(grouped.namedMetrics()) { first, _ in first } }
    if let robustness = configuration.robustness {
      let skipped = [("fgsm", robustness.fgsm?.isEmpty == false), ("pgd", robustness.pgd != nil),
                     ("subgroup_shift", robustness.subgroupShift?.isEmpty == false)].filter(\.1).map(\.0)
      if !skipped.isEmpty {
        notes.append("robustness \(skipped.joined(separator: ", ")): not run, implemented for binary classifiers only; "
                     + "gaussian_noise, missing_features and category_corruption report the \(kind == .regression ? "RMSE" : "accuracy") change")
      }
      let perturbations = (robustness.gaussianNoise ?? []).map { Perturbation.gaussianNoise(standardDeviation: $0) }
        + (robustness.missingFeatures ?? []).map { Perturbation.missingFeatures(rate: $0) }
        + (robustness.categoryCorruption ?? []).map { Perturbation.categoryCorruption(rate: $0) }
      if !perturbations.isEmpty {
        let groups = sensitiveNames.map { name in
          GroupAssignment(name: name, categories: metadata.sensitive.first { $0.name == name }!.categories, codes: rows.sensitive[name] ?? [])
        }
        let report = HeadlineRobustness(kind: kind, rows: rows, groups: groups, minimumGroupSize: configuration.minGroupSize ?? 1,
                                        seed: seed, rowValues: headline)
          .run(perturbations, layout: try featureLayout(metadata))
        result.headlineRobustness = report
        result.namedMetrics.merge(report.namedMetrics()) { first, _ in first }
      }
    }
    result.notes = notes.isEmpty ? nil : notes
    return result
  }
}

/// Runs encoding-aware perturbations against a multi-class or regression model and measures its
/// headline metric from per-row values: correctness (accuracy = mean) or squared error (RMSE = √mean).
struct HeadlineRobustness {
  let kind: LabelKind
  let rows: Batch
  let groups: [GroupAssignment]
  let minimumGroupSize: Int
  let seed: UInt64
  let rowValues: ([Float]) -> [Double]

  func aggregate(_ values: [Double], rows selected: [Int]) -> Double {
    guard !selected.isEmpty else { return .nan }
    let mean = selected.reduce(0) { $0 + values[$1] } / Double(selected.count)
    return kind == .regression ? mean.squareRoot() : mean
  }

  func worsening(clean: Double, perturbed: Double) -> Double { kind == .regression ? perturbed - clean : clean - perturbed }

  func run(_ perturbations: [Perturbation], layout: FeatureLayout) -> HeadlineRobustnessReport {
    let all = Array(0..<rows.rowCount)
    let members = groups.map { assignment in
      Dictionary(grouping: all) { assignment.codes[$0] }.sorted { $0.key < $1.key }.map { (assignment, $0.key, $0.value) }
    }.flatMap { $0 }
    let cleanValues = rowValues(rows.features)
    let clean = aggregate(cleanValues, rows: all)
    let outcomes = perturbations.map { perturbation in
      var generator = SeededGenerator(seed: seed, stream: HeadlineRobustness.stream(perturbation.name))
      let values = rowValues(perturbation.applied(to: rows.features, rowCount: rows.rowCount, layout: layout, using: &generator))
      let value = aggregate(values, rows: all)
      let groupOutcomes = members.map { assignment, code, selected in
        let before = aggregate(cleanValues, rows: selected), after = aggregate(values, rows: selected)
        return HeadlineRobustnessReport.GroupOutcome(attribute: assignment.name, group: assignment.label(of: code), count: selected.count,
                                                     clean: before, value: after, worsening: worsening(clean: before, perturbed: after),
                                                     insufficientData: selected.count < max(minimumGroupSize, 1))
      }
      let name = perturbation.name
      return HeadlineRobustnessReport.Outcome(name: name, kind: String(name[..<name.lastIndex(of: "_")!]), level: perturbation.level,
                                              value: value, worsening: worsening(clean: clean, perturbed: value), groups: groupOutcomes)
    }
    return HeadlineRobustnessReport(metric: kind == .regression ? "rmse" : "accuracy",
                                    worsening: kind == .regression ? "rmse_increase" : "accuracy_drop",
                                    clean: clean, minimumGroupSize: minimumGroupSize, outcomes: outcomes)
  }

  /// A generator stream per perturbation name (FNV-1a), so adding one does not reseed another.
  static func stream(_ name: String) -> UInt64 {
    name.utf8.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
  }
}
