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

  /// Evaluates `model` on `split` of `dataset`; a multi-class or regression `LabelKindPredictor`
  /// (a `TrainedModel`) is evaluated as its kind asks (see `evaluateLabelKind`).
  /// - Parameters:
  ///   - expectedFingerprint: the fingerprint of the dataset the model was trained on; a different
  ///     dataset is an error.
  /// - Throws: `EvaluationError` for a fingerprint mismatch, an unknown sensitive attribute or a
  ///   missing split; `DatasetError` when the file cannot be read.
  public func evaluate<Model: RobustnessModel>(
    _ model: Model, on dataset: KilnDataset, split: String = "test", expectedFingerprint: String? = nil, runID: String? = nil
  ) throws -> EvaluationResult {
    let metadata = dataset.metadata
    if let expectedFingerprint, expectedFingerprint != metadata.fingerprint {
      throw EvaluationError(.fingerprintMismatch,
                            "\(dataset.url.path): dataset fingerprint \(metadata.fingerprint.prefix(12))… differs from \(expectedFingerprint.prefix(12))…, the one the run was trained on",
                            hint: "evaluate on the dataset the run was trained on (re-import it from the same raw files), or train a new run on this one")
    }
    let sensitiveNames = try checkedSensitiveNames(metadata, path: dataset.url.path)
    guard metadata.splitSizes[split] != nil else {
      throw EvaluationError(.missingSplit, "\(dataset.url.path): no split '\(split)'",
                            hint: "the file has splits \(metadata.splitNames.joined(separator: ", "))")
    }
    let rows = try dataset.rows(split: split)
    if let kinded = model as? LabelKindPredictor, kinded.labelKind != .binary {
      return try evaluateLabelKind(kinded, dataset: dataset, rows: rows, split: split, sensitiveNames: sensitiveNames, runID: runID)
    }
    let scores = model.positiveProbabilities(features: rows.features, rowCount: rows.rowCount)
    let labels = rows.labels.map(Int.init)
    let threshold = try chooseThreshold(model, dataset: dataset)
    let predictions = DecisionThreshold.predictions(scores: scores, threshold: threshold.threshold)
    let bootstrap = configuration.bootstrap.map { BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95) }
      ?? BootstrapConfiguration()
    var generator = SeededGenerator(seed: seed, stream: .bootstrap)
    let performance = BinaryClassificationReport(labels: labels, predictions: predictions, scores: scores, threshold: threshold,
                                                 bootstrap: bootstrap, using: &generator)
    var named = performance.namedMetrics(split: split)
    var fairness: FairnessReport?
    if !sensitiveNames.isEmpty {
      let attributes = sensitiveNames.map { name in
        let attribute = metadata.sensitive.first { $0.name == name }!
        let codes = rows.sensitive[name] ?? []
        return KilnMetrics.SensitiveAttribute(name: name, values: codes.map { $0 >= 0 ? attribute.categories[Int($0)] : "<missing>" })
      }
      let audit = FairnessAudit.Configuration(intersections: configuration.intersections ?? [],
                                              minimumGroupSize: configuration.minGroupSize ?? 1, bootstrap: bootstrap)
      let report = try FairnessAudit.report(labels: labels, predictions: predictions, scores: scores, attributes: attributes,
                                            configuration: audit, using: &generator)
      named.merge(report.namedMetrics()) { first, _ in first }
      fairness = report
    }
    var robustness: RobustnessReport?
    if let plan = robustnessPlan(threshold: threshold.threshold), !plan.isEmpty {
      let layout = try featureLayout(metadata)
      let groups = sensitiveNames.map { name in
        GroupAssignment(name: name, categories: metadata.sensitive.first { $0.name == name }!.categories, codes: rows.sensitive[name] ?? [])
      }
      let suite = RobustnessSuite(model: model, layout: layout, features: rows.features, rowCount: rows.rowCount,
                                  labels: rows.labels, groups: groups)
      let report = suite.run(plan)
      named.merge(report.namedMetrics()) { first, _ in first }
      robustness = report
    }
    return EvaluationResult(runID: runID, split: split, rowCount: rows.rowCount,
                            datasetFingerprint: metadata.fingerprint, labelKind: .binary, threshold: threshold, performance: performance,
                            fairness: fairness, robustness: robustness, namedMetrics: named)
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
  func chooseThreshold<Model: RobustnessModel>(_ model: Model, dataset: KilnDataset) throws -> ThresholdChoice {
    let fixed = configuration.threshold ?? 0.5
    let criterion: ThresholdCriterion
    switch configuration.thresholdSelection ?? .fixed {
    case .fixed: return DecisionThreshold.fixed(fixed).resolved(validationLabels: [], validationScores: [])
    case .f1: criterion = .f1
    case .youdenJ: criterion = .youdenJ
    }
    guard dataset.metadata.splitSizes["validation"].map({ $0 > 0 }) == true else {
      throw EvaluationError(.missingSplit, "\(dataset.url.path): threshold_selection needs a non-empty 'validation' split",
                            hint: "use threshold_selection: fixed, or re-import the dataset with a validation split")
    }
    let validation = try dataset.rows(split: "validation")
    let scores = model.positiveProbabilities(features: validation.features, rowCount: validation.rowCount)
    return DecisionThreshold.chosenOnValidation(criterion).resolved(validationLabels: validation.labels.map(Int.init), validationScores: scores)
  }

  /// The configured robustness tests as a plan, or nil when none are configured.
  func robustnessPlan(threshold: Double) -> RobustnessPlan? {
    guard let robustness = configuration.robustness else { return nil }
    return RobustnessPlan(
      gaussianNoise: robustness.gaussianNoise ?? [], missingFeatures: robustness.missingFeatures ?? [],
      categoryCorruption: robustness.categoryCorruption ?? [], subgroupShift: robustness.subgroupShift ?? [],
      fgsm: robustness.fgsm ?? [],
      pgd: robustness.pgd.map { .init(epsilons: $0.epsilons, steps: $0.steps, stepSize: $0.stepSize, randomStart: $0.randomStart ?? true) },
      threshold: threshold, minimumGroupSize: configuration.minGroupSize ?? 1, seed: seed)
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
