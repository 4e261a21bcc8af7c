import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnTensor
import KilnConfiguration
import KilnTraining

extension Evaluator {
  /// Evaluates a multi-class or regression model on already-checked rows: performance with
  /// bootstrap intervals, group-wise fairness (MetricFrame style), perturbations and gradient
  /// attacks (FGSM/PGD maximise the cross-entropy of a multi-class model and the squared error
  /// of a regression model). Subgroup shift is binary-only: when configured it is left out and
  /// the result's `notes` say so.
  func evaluateLabelKind(_ model: LabelKindPredictor, dataset: KilnDataset, rows: Batch, split: String,
                         sensitiveNames: [String], runID: String?) throws -> EvaluationResult {
    let metadata = dataset.metadata
    let kind = model.labelKind
    guard kind == metadata.labelKind else {
      throw EvaluationError(.invalidConfiguration,
                            "\(dataset.url.path): the model is \(kind.rawValue) but the dataset's label is \(metadata.labelKind.rawValue)",
                            hint: "evaluate the model on the dataset it was trained on")
    }
    var result = EvaluationResult(runID: runID, split: split, rowCount: rows.rowCount, datasetFingerprint: metadata.fingerprint,
                                  labelKind: kind, namedMetrics: [:])
    var notes: [String] = []
    if configuration.threshold != nil || configuration.thresholdSelection != nil {
      notes.append("evaluation.threshold and threshold_selection apply to binary models only; the \(kind.rawValue) model predicts "
                   + (kind == .regression ? "values" : "the most probable class"))
    }
    let headline = try measurePerformanceAndFairness(model, metadata: metadata, rows: rows, sensitiveNames: sensitiveNames, into: &result)
    if let robustness = configuration.robustness {
      if robustness.subgroupShift?.isEmpty == false {
        notes.append("robustness subgroup_shift: not run, implemented for binary classifiers only")
      }
      if let report = try headlineRobustness(model, robustness: robustness, metadata: metadata, rows: rows,
                                             sensitiveNames: sensitiveNames, rowValues: headline) {
        result.headlineRobustness = report
        result.namedMetrics.merge(report.namedMetrics()) { first, _ in first }
      }
    }
    result.notes = notes.isEmpty ? nil : notes
    return result
  }

  /// Fills the kind's performance report and group-wise fairness (with their named metrics)
  /// into `result`; returns the per-row values of the headline metric for perturbed features
  /// (correctness for multi-class, squared error for regression).
  func measurePerformanceAndFairness(_ model: LabelKindPredictor, metadata: DatasetMetadata, rows: Batch, sensitiveNames: [String],
                                     into result: inout EvaluationResult) throws -> ([Float]) -> [Double] {
    let bootstrap = configuration.bootstrap.map { BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95) }
      ?? BootstrapConfiguration()
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    let attributes = sensitiveNames.map { name in
      let attribute = metadata.sensitive.first { $0.name == name }!
      return KilnMetrics.SensitiveAttribute(name: name, values: (rows.sensitive[name] ?? []).map { $0 >= 0 ? attribute.categories[Int($0)] : "<missing>" })
    }
    let audit = FairnessAudit.Configuration(intersections: configuration.intersections ?? [],
                                            minimumGroupSize: configuration.minGroupSize ?? 1, bootstrap: bootstrap)
    let headline: ([Float]) -> [Double]
    if model.labelKind == .regression {
      let targets = rows.targets.map(Double.init)
      let predictions = model.regressionPredictions(features: rows.features, rowCount: rows.rowCount)
      let report = RegressionReport(targets: targets, predictions: predictions, bootstrap: bootstrap, using: &generator)
      result.regression = report
      result.namedMetrics = report.namedMetrics(split: result.split)
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
      result.namedMetrics = report.namedMetrics(split: result.split)
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
    return headline
  }

  /// The configured perturbations and attacks measured on the headline metric, or nil when none is configured.
  func headlineRobustness(_ model: LabelKindPredictor, robustness: RobustnessConfiguration, metadata: DatasetMetadata, rows: Batch,
                          sensitiveNames: [String], rowValues: @escaping ([Float]) -> [Double]) throws -> HeadlineRobustnessReport? {
    let perturbations = (robustness.gaussianNoise ?? []).map { Perturbation.gaussianNoise(standardDeviation: $0) }
      + (robustness.missingFeatures ?? []).map { Perturbation.missingFeatures(rate: $0) }
      + (robustness.categoryCorruption ?? []).map { Perturbation.categoryCorruption(rate: $0) }
    let attacks = (robustness.fgsm ?? []).map { GradientAttack(method: .fgsm, epsilon: $0) }
      + (robustness.pgd.map { pgd in
        pgd.epsilons.map { GradientAttack(method: .pgd(steps: pgd.steps, stepSize: pgd.stepSize, randomStart: pgd.randomStart ?? true), epsilon: $0) }
      } ?? [])
    guard !perturbations.isEmpty || !attacks.isEmpty else { return nil }
    let groups = sensitiveNames.map { name in
      GroupAssignment(name: name, categories: metadata.sensitive.first { $0.name == name }!.categories, codes: rows.sensitive[name] ?? [])
    }
    let layout = try featureLayout(metadata)
    let kind = model.labelKind
    let targets = kind == .regression ? model.outputUnits(targets: rows.targets) : rows.labels.map(Float.init)
    let objective: GradientAttack.Objective = kind == .regression ? .squaredError : .softmaxCrossEntropy
    return HeadlineRobustness(kind: kind, rows: rows, groups: groups, minimumGroupSize: configuration.minGroupSize ?? 1,
                              seed: seed, rowValues: rowValues)
      .run(perturbations, attacks: attacks, layout: layout) { attack, generator in
        attack.adversarialExamples(features: rows.features, targets: targets, objective: objective, rowCount: rows.rowCount,
                                   layout: layout, model: model, using: &generator)
      }
  }
}
