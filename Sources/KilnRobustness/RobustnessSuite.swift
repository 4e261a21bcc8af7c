import KilnRandom
import KilnNN

/// Runs a `RobustnessPlan` against a model on one encoded split, measuring what its
/// `RobustnessMeasure` says (accuracy, or RMSE) overall and in every group of every attribute.
public struct RobustnessSuite<Model: RobustnessModel> {
  public let model: Model
  public let layout: FeatureLayout
  /// Row-major encoded features.
  public let features: [Float]
  public let rowCount: Int
  /// What is measured, and what attacks push against.
  public let measure: RobustnessMeasure
  /// The sensitive attributes to break results down by.
  public let groups: [GroupAssignment]

  public init(model: Model, layout: FeatureLayout, features: [Float], rowCount: Int, measure: RobustnessMeasure, groups: [GroupAssignment]) {
    precondition(features.count == rowCount * layout.featureCount,
                 "RobustnessSuite: \(features.count) values do not fill \(rowCount) rows × \(layout.featureCount) features")
    precondition(measure.attackTargets.count == rowCount, "RobustnessSuite: \(measure.attackTargets.count) labels for \(rowCount) rows")
    precondition(groups.allSatisfy { $0.codes.count == rowCount }, "RobustnessSuite: a group assignment's length differs from \(rowCount) rows")
    self.model = model
    self.layout = layout
    self.features = features
    self.rowCount = rowCount
    self.measure = measure
    self.groups = groups
  }

  /// A binary classifier's suite: accuracy at `threshold` against `labels` (0 or 1).
  public init(model: Model, layout: FeatureLayout, features: [Float], rowCount: Int, labels: [Int32], threshold: Double = 0.5,
              groups: [GroupAssignment]) {
    self.init(model: model, layout: layout, features: features, rowCount: rowCount,
              measure: .binaryAccuracy(model, labels: labels, threshold: threshold), groups: groups)
  }

  /// Measures everything `plan` asks for. Subgroup shift re-weights the clean rows, so it applies
  /// to every measure; flip rates and empirical robustness need decisions (binary models).
  public func run(_ plan: RobustnessPlan) -> RobustnessReport {
    let (cleanValues, cleanDecisions) = measure.measured(features)
    let uniform = [Double](repeating: 1, count: rowCount)
    let clean = measure.aggregate(cleanValues, weights: uniform, rows: 0..<rowCount)
    let cleanGroups = groupValues(cleanValues, weights: uniform)
    func outcome(_ name: String, kind: String, level: Double, values: [Double], weights: [Double]) -> PerturbationOutcome {
      let value = measure.aggregate(values, weights: weights, rows: 0..<rowCount)
      let groupOutcomes = zip(cleanGroups, groupValues(values, weights: weights)).map { before, after in
        GroupOutcome(attribute: before.attribute, group: before.group, count: before.count, clean: before.value, value: after.value,
                     worsening: measure.worsening(clean: before.value, perturbed: after.value),
                     insufficientData: before.count < max(plan.minimumGroupSize, 1))
      }
      return PerturbationOutcome(name: name, kind: kind, level: level, value: value, worsening: measure.worsening(clean: clean, perturbed: value),
                                 groups: groupOutcomes, empiricalRobustness: nil, predictionFlipRate: nil)
    }
    var outcomes: [PerturbationOutcome] = []
    let perturbations = plan.gaussianNoise.map { Perturbation.gaussianNoise(standardDeviation: $0) }
      + plan.missingFeatures.map { Perturbation.missingFeatures(rate: $0) }
      + plan.categoryCorruption.map { Perturbation.categoryCorruption(rate: $0) }
    for perturbation in perturbations {
      var generator = SeededGenerator(seed: plan.seed, stream: .robustness(name: perturbation.name))
      let perturbed = perturbation.applied(to: features, rowCount: rowCount, layout: layout, using: &generator)
      let kind = String(perturbation.name[..<perturbation.name.lastIndex(of: "_")!])
      outcomes.append(outcome(perturbation.name, kind: kind, level: perturbation.level, values: measure.measured(perturbed).values, weights: uniform))
    }
    for strength in plan.subgroupShift {
      for assignment in groups {
        for (code, label) in Self.presentCodes(assignment) {
          let weights = Self.shiftWeights(codes: assignment.codes, towards: code, strength: strength)
          outcomes.append(outcome("subgroup_shift_\(strength).\(assignment.name).\(label)", kind: "subgroup_shift",
                                  level: strength, values: cleanValues, weights: weights))
        }
      }
    }
    let attacks = plan.fgsm.map { GradientAttack(method: .fgsm, epsilon: $0) }
      + (plan.pgd.map { pgd in
        pgd.epsilons.map { GradientAttack(method: .pgd(steps: pgd.steps, stepSize: pgd.stepSize, randomStart: pgd.randomStart), epsilon: $0) }
      } ?? [])
    for attack in attacks {
      var generator = SeededGenerator(seed: plan.seed, stream: .robustness(name: attack.name))
      let adversarial = attack.adversarialExamples(features: features, targets: measure.attackTargets, objective: measure.objective,
                                                   rowCount: rowCount, layout: layout, model: model, using: &generator)
      let (values, decisions) = measure.measured(adversarial)
      var result = outcome(attack.name, kind: attack.name.hasPrefix("fgsm") ? "fgsm" : "pgd", level: attack.epsilon,
                           values: values, weights: uniform)
      if let cleanDecisions, let decisions {
        let flipped = (0..<rowCount).filter { decisions[$0] != cleanDecisions[$0] }
        result.predictionFlipRate = rowCount == 0 ? .nan : Double(flipped.count) / Double(rowCount)
        result.empiricalRobustness = Self.empiricalRobustness(clean: features, adversarial: adversarial,
                                                              width: layout.featureCount, changedRows: flipped)
      }
      outcomes.append(result)
    }
    return RobustnessReport(rowCount: rowCount, threshold: measure.threshold, metric: measure.metric, worsening: measure.worsening,
                            clean: clean, minimumGroupSize: plan.minimumGroupSize, outcomes: outcomes)
  }
}
