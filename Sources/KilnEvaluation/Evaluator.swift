import KilnRandom
import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnTensor
import KilnConfiguration
import KilnTraining

/// Computes what an experiment's `evaluation:` block asks for on one split of an open dataset:
/// performance (with bootstrap intervals), fairness by sensitive attribute and intersection,
/// and robustness under perturbations and gradient attacks.
public struct Evaluator {
  public var configuration: EvaluationConfiguration
  /// The seed of the bootstrap and of every perturbation.
  public var seed: UInt64
  public init(configuration: EvaluationConfiguration?, seed: UInt64) {
    self.configuration = configuration ?? EvaluationConfiguration()
    self.seed = seed
  }

  /// Evaluates `model` on `split` of `dataset`, as its head asks: a binary model at its threshold
  /// (performance, the fairness audit with the named measures, robustness of accuracy with flip
  /// rates), a multi-class model by its most probable class, a regression model by its values —
  /// one fairness report and one robustness report for every kind. Gradient attacks maximise
  /// the head's loss: binary or softmax cross-entropy, or the squared error.
  /// - Parameters:
  ///   - expectedFingerprint: the fingerprint of the dataset the model was trained on; a different
  ///     dataset is an error.
  /// - Throws: `EvaluationError` for a fingerprint mismatch, a model of another label kind than
  ///   the dataset, an unknown sensitive attribute or a missing split; `DatasetError` when the
  ///   file cannot be read.
  public func evaluate<Model: EvaluatedModel>(
    _ model: Model, on dataset: KilnDataset, split: String = "test", expectedFingerprint: String? = nil, runID: String? = nil
  ) throws -> EvaluationResult {
    let metadata = dataset.metadata
    if let expectedFingerprint, expectedFingerprint != metadata.fingerprint {
      throw EvaluationError(.fingerprintMismatch,
                            "\(dataset.url.path): dataset fingerprint \(metadata.fingerprint.prefix(12))… differs from \(expectedFingerprint.prefix(12))…, the one the run was trained on",
                            hint: "evaluate on the dataset the run was trained on (re-import it from the same raw files), or train a new run on this one")
    }
    let kind = model.head.labelKind
    guard kind == metadata.labelKind else {
      throw EvaluationError(.invalidConfiguration,
                            "\(dataset.url.path): the model is \(kind.rawValue) but the dataset's label is \(metadata.labelKind.rawValue)",
                            hint: "evaluate the model on the dataset it was trained on")
    }
    let sensitiveNames = try checkedSensitiveNames(metadata, path: dataset.url.path)
    guard metadata.splitSizes[split] != nil else {
      throw EvaluationError(.missingSplit, "\(dataset.url.path): no split '\(split)'",
                            hint: "the file has splits \(metadata.splitNames.joined(separator: ", "))")
    }
    let rows = try dataset.rows(split: split)
    var result = EvaluationResult(runID: runID, split: split, rowCount: rows.rowCount, datasetFingerprint: metadata.fingerprint,
                                  labelKind: kind, namedMetrics: [:])
    let bootstrap = configuration.bootstrap.map { BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95) }
      ?? BootstrapConfiguration()
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    let attributes = sensitiveNames.map { name in
      let attribute = metadata.sensitive.first { $0.name == name }!
      return KilnMetrics.SensitiveAttribute(name: name, values: (rows.sensitive[name] ?? []).map { $0 >= 0 ? attribute.categories[Int($0)] : "<missing>" })
    }
    let audit = FairnessAudit.Configuration(intersections: configuration.intersections ?? [],
                                            minimumGroupSize: configuration.minGroupSize ?? 1, bootstrap: bootstrap)
    let labels = rows.labels.map(Int.init)
    let measure: RobustnessMeasure
    switch model.head {
    case .binary:
      let scores = model.positiveProbabilities(features: rows.features, rowCount: rows.rowCount)
      let threshold = try chooseThreshold(model, dataset: dataset)
      let unmitigated = DecisionThreshold.predictions(scores: scores, threshold: threshold.threshold)
      var predictions = unmitigated
      if let thresholds = model.groupThresholds {
        let grouping = try metadata.grouping(of: thresholds.attributes, rows: rows, key: "the model's group thresholds")
        predictions = try thresholds.predictions(scores: scores, groups: grouping.codes.map { grouping.groupName(Int($0)) },
                                                 rowIDs: rows.rowIndices, seed: seed)
      }
      if let mixed = model.mixtureDecisions(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: seed) {
        predictions = mixed
      }
      func reports(_ predictions: [Int], using generator: inout SeededGenerator) throws -> (BinaryClassificationReport, FairnessReport?) {
        let performance = BinaryClassificationReport(labels: labels, predictions: predictions, scores: scores, threshold: threshold,
                                                     bootstrap: bootstrap, using: &generator)
        let fairness = attributes.isEmpty ? nil : try FairnessAudit.report(labels: labels, predictions: predictions, scores: scores,
                                                                           attributes: attributes, configuration: audit, using: &generator)
        return (performance, fairness)
      }
      let performance: BinaryClassificationReport
      (performance, result.fairness) = try reports(predictions, using: &generator)
      result.threshold = threshold
      result.performance = performance
      result.namedMetrics = performance.namedMetrics(split: split)
      if let thresholds = model.groupThresholds {
        // Before: the same scores at the one threshold, with the bootstrap's own draws, so it equals
        // the evaluation of the model without its group thresholds.
        var before = SeededGenerator(seed: seed, stream: .bootstrap)
        let (unmitigatedPerformance, unmitigatedFairness) = try reports(unmitigated, using: &before)
        var metrics = unmitigatedPerformance.namedMetrics(split: split)
        if let unmitigatedFairness { metrics.merge(unmitigatedFairness.namedMetrics()) { first, _ in first } }
        result.mitigation = MitigationOutcome(thresholds: thresholds, unmitigatedFairness: unmitigatedFairness, unmitigatedMetrics: metrics)
      }
      measure = .binaryAccuracy(model, labels: rows.labels, threshold: threshold.threshold)
    case .multiclass(let classCount):
      let probabilities = model.classProbabilities(features: rows.features, rowCount: rows.rowCount)
      let performance = MulticlassClassificationReport(labels: labels, classProbabilities: probabilities, classNames: metadata.classes,
                                                       bootstrap: bootstrap, using: &generator)
      result.multiclass = performance
      result.namedMetrics = performance.namedMetrics(split: split)
      if !attributes.isEmpty {
        result.fairness = try FairnessAudit.multiclass(labels: labels, predicted: MulticlassMetrics.predictedClasses(probabilities),
                                                       classCount: classCount, attributes: attributes, configuration: audit, using: &generator)
      }
      measure = .multiclassAccuracy(predictedClasses: { features in
        MulticlassMetrics.predictedClasses(model.classProbabilities(features: features, rowCount: rows.rowCount))
      }, labels: rows.labels)
    case .regression:
      let targets = rows.targets.map(Double.init)
      // A reduction's mixture predicts each row by its seeded draw of one member, as `kiln predict` does.
      let predictions = model.mixtureValues(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: seed)
        ?? model.regressionPredictions(features: rows.features, rowCount: rows.rowCount)
      let performance = RegressionReport(targets: targets, predictions: predictions, bootstrap: bootstrap, using: &generator)
      result.regression = performance
      result.namedMetrics = performance.namedMetrics(split: split)
      if !attributes.isEmpty {
        result.fairness = try FairnessAudit.regression(targets: targets, predictions: predictions, attributes: attributes,
                                                       configuration: audit, using: &generator)
      }
      measure = .rootMeanSquaredError(predictions: { model.regressionPredictions(features: $0, rowCount: rows.rowCount) },
                                      targets: targets, outputTargets: model.head.outputUnits(targets: rows.targets))
    }
    if let fairness = result.fairness { result.namedMetrics.merge(fairness.namedMetrics()) { first, _ in first } }
    if kind != .binary, configuration.threshold != nil || configuration.thresholdSelection != nil {
      result.notes = ["evaluation.threshold and threshold_selection apply to binary models only; the \(kind.rawValue) model predicts "
                      + (kind == .regression ? "values" : "the most probable class")]
    }
    if let plan = robustnessPlan(), !plan.isEmpty {
      let layout = try featureLayout(metadata)
      let groups = sensitiveNames.map { name in
        GroupAssignment(name: name, categories: metadata.sensitive.first { $0.name == name }!.categories, codes: rows.sensitive[name] ?? [])
      }
      let report = RobustnessSuite(model: model, layout: layout, features: rows.features, rowCount: rows.rowCount,
                                   measure: measure, groups: groups).run(plan)
      result.namedMetrics.merge(report.namedMetrics()) { first, _ in first }
      result.robustness = report
    }
    return result
  }

  /// The sensitive attributes to audit (the configured ones, else every one in the file).
  func checkedSensitiveNames(_ metadata: DatasetMetadata, path: String) throws -> [String] {
    let available = metadata.sensitive.map(\.name)
    let requested = configuration.sensitive ?? available
    let named = requested + (configuration.intersections ?? []).flatMap { $0 }
    if let missing = named.first(where: { !available.contains($0) }) {
      throw EvaluationError(.unknownSensitiveAttribute,
                            "evaluation.sensitive names '\(missing)', which \(path) does not have",
                            hint: available.isEmpty ? "the dataset declares no sensitive attributes; add them to its recipe and re-import"
                                                    : "use one of: \(available.joined(separator: ", "))")
    }
    return requested
  }

  /// The threshold: fixed (default 0.5), or chosen on the validation split by F1 or Youden's J.
  func chooseThreshold<Model: EvaluatedModel>(_ model: Model, dataset: KilnDataset) throws -> ThresholdChoice {
    let decision = configuration.decisionThreshold
    guard case .chosenOnValidation = decision else { return decision.resolved(validationLabels: [], validationScores: []) }
    guard dataset.metadata.splitSizes["validation"].map({ $0 > 0 }) == true else {
      throw EvaluationError(.missingSplit, "\(dataset.url.path): threshold_selection needs a non-empty 'validation' split",
                            hint: "use threshold_selection: fixed, or re-import the dataset with a validation split")
    }
    let validation = try dataset.rows(split: "validation")
    let scores = model.positiveProbabilities(features: validation.features, rowCount: validation.rowCount)
    return decision.resolved(validationLabels: validation.labels.map(Int.init), validationScores: scores)
  }

  /// The configured robustness tests as a plan, or nil when none are configured.
  func robustnessPlan() -> RobustnessPlan? {
    guard let robustness = configuration.robustness else { return nil }
    return RobustnessPlan(
      gaussianNoise: robustness.gaussianNoise ?? [], missingFeatures: robustness.missingFeatures ?? [],
      categoryCorruption: robustness.categoryCorruption ?? [], subgroupShift: robustness.subgroupShift ?? [],
      fgsm: robustness.fgsm ?? [],
      pgd: robustness.pgd.map { .init(epsilons: $0.epsilons, steps: $0.steps, stepSize: $0.stepSize, randomStart: $0.randomStart ?? true) },
      minimumGroupSize: configuration.minGroupSize ?? 1, seed: seed)
  }

  /// The feature layout from the stored encoding (all-numeric when the file has none).
  func featureLayout(_ metadata: DatasetMetadata) throws -> FeatureLayout {
    let immutable = configuration.robustness?.immutable ?? []
    guard let encoding = metadata.encoding else {
      let columns = Set(immutable.compactMap { metadata.featureNames.firstIndex(of: $0) })
      return FeatureLayout(numericFeatureCount: metadata.featureCount, immutableColumns: columns)
    }
    do {
      return try FeatureLayout(encoding: encoding, immutable: immutable)
    } catch let error as RobustnessConfigurationError {
      throw EvaluationError(.invalidConfiguration, "evaluation.robustness.immutable: \(error.message)", hint: error.hint)
    }
  }
}
