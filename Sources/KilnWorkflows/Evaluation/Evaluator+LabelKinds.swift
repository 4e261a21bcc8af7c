import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnTensor

/// A model that says what its label is and predicts accordingly (a `TrainedModel`); its
/// `logits` are the network's raw outputs (K per row, or the standardised regression output).
public protocol LabelKindPredictor: RobustnessModel {
  var labelKind: LabelKind { get }
  /// Class probabilities per row (classification models).
  func classProbabilities(features: [Float], rowCount: Int) -> [[Double]]
  /// Predictions in the target's raw units (regression models).
  func regressionPredictions(features: [Float], rowCount: Int) -> [Double]
  /// Regression targets in the units of the network's output (what a gradient attack compares with).
  func outputUnits(targets: [Float]) -> [Float]
}

extension TrainedModel: LabelKindPredictor {
  /// (y − μ) / σ with the head's train-split standardisation; classification targets unchanged.
  public func outputUnits(targets: [Float]) -> [Float] {
    guard case .regression(let mean, let scale) = head else { return targets }
    return targets.map { Float((Double($0) - mean) / scale) }
  }
}

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
      if robustness.subgroupShift?.isEmpty == false {
        notes.append("robustness subgroup_shift: not run, implemented for binary classifiers only")
      }
      let perturbations = (robustness.gaussianNoise ?? []).map { Perturbation.gaussianNoise(standardDeviation: $0) }
        + (robustness.missingFeatures ?? []).map { Perturbation.missingFeatures(rate: $0) }
        + (robustness.categoryCorruption ?? []).map { Perturbation.categoryCorruption(rate: $0) }
      let attacks = (robustness.fgsm ?? []).map { GradientAttack(method: .fgsm, epsilon: $0) }
        + (robustness.pgd.map { pgd in
          pgd.epsilons.map { GradientAttack(method: .pgd(steps: pgd.steps, stepSize: pgd.stepSize, randomStart: pgd.randomStart ?? true), epsilon: $0) }
        } ?? [])
      if !perturbations.isEmpty || !attacks.isEmpty {
        let groups = sensitiveNames.map { name in
          GroupAssignment(name: name, categories: metadata.sensitive.first { $0.name == name }!.categories, codes: rows.sensitive[name] ?? [])
        }
        let layout = try featureLayout(metadata)
        let targets = kind == .regression ? model.outputUnits(targets: rows.targets) : rows.labels.map(Float.init)
        let objective: GradientAttack.Objective = kind == .regression ? .squaredError : .softmaxCrossEntropy
        let report = HeadlineRobustness(kind: kind, rows: rows, groups: groups, minimumGroupSize: configuration.minGroupSize ?? 1,
                                        seed: seed, rowValues: headline)
          .run(perturbations, attacks: attacks, layout: layout) { attack, generator in
            attack.adversarialExamples(features: rows.features, targets: targets, objective: objective, rowCount: rows.rowCount,
                                       layout: layout, model: model, using: &generator)
          }
        result.headlineRobustness = report
        result.namedMetrics.merge(report.namedMetrics()) { first, _ in first }
      }
    }
    result.notes = notes.isEmpty ? nil : notes
    return result
  }
}

/// Runs encoding-aware perturbations and gradient attacks against a multi-class or regression model and measures its
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

  /// Measures each perturbation and each attack (`adversarial` gives an attack's adversarial features).
  func run(_ perturbations: [Perturbation], attacks: [GradientAttack], layout: FeatureLayout,
           adversarial: (GradientAttack, inout SeededGenerator) -> [Float]) -> HeadlineRobustnessReport {
    let all = Array(0..<rows.rowCount)
    let members = groups.map { assignment in
      Dictionary(grouping: all) { assignment.codes[$0] }.sorted { $0.key < $1.key }.map { (assignment, $0.key, $0.value) }
    }.flatMap { $0 }
    let cleanValues = rowValues(rows.features)
    let clean = aggregate(cleanValues, rows: all)
    func outcome(name: String, level: Double, perturbed: [Float]) -> HeadlineRobustnessReport.Outcome {
      let values = rowValues(perturbed)
      let value = aggregate(values, rows: all)
      let groupOutcomes = members.map { assignment, code, selected in
        let before = aggregate(cleanValues, rows: selected), after = aggregate(values, rows: selected)
        return HeadlineRobustnessReport.GroupOutcome(attribute: assignment.name, group: assignment.label(of: code), count: selected.count,
                                                     clean: before, value: after, worsening: worsening(clean: before, perturbed: after),
                                                     insufficientData: selected.count < max(minimumGroupSize, 1))
      }
      return HeadlineRobustnessReport.Outcome(name: name, kind: String(name[..<name.lastIndex(of: "_")!]), level: level,
                                              value: value, worsening: worsening(clean: clean, perturbed: value), groups: groupOutcomes)
    }
    var outcomes = perturbations.map { perturbation in
      var generator = SeededGenerator(seed: seed, stream: HeadlineRobustness.stream(perturbation.name))
      return outcome(name: perturbation.name, level: perturbation.level,
                     perturbed: perturbation.applied(to: rows.features, rowCount: rows.rowCount, layout: layout, using: &generator))
    }
    for attack in attacks {
      var generator = SeededGenerator(seed: seed, stream: HeadlineRobustness.stream(attack.name))
      outcomes.append(outcome(name: attack.name, level: attack.epsilon, perturbed: adversarial(attack, &generator)))
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
