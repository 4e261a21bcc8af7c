import KilnRandom
import KilnNN

/// Runs a `RobustnessPlan` against a model on one encoded split.
public struct RobustnessSuite<Model: RobustnessModel> {
  public let model: Model
  public let layout: FeatureLayout
  /// Row-major encoded features.
  public let features: [Float]
  public let rowCount: Int
  /// True labels (0 or 1).
  public let labels: [Int32]
  /// The sensitive attributes to break results down by.
  public let groups: [GroupAssignment]

  public init(model: Model, layout: FeatureLayout, features: [Float], rowCount: Int, labels: [Int32], groups: [GroupAssignment]) {
    precondition(features.count == rowCount * layout.featureCount,
                 "RobustnessSuite: \(features.count) values do not fill \(rowCount) rows × \(layout.featureCount) features")
    precondition(labels.count == rowCount, "RobustnessSuite: \(labels.count) labels for \(rowCount) rows")
    precondition(groups.allSatisfy { $0.codes.count == rowCount }, "RobustnessSuite: a group assignment's length differs from \(rowCount) rows")
    self.model = model
    self.layout = layout
    self.features = features
    self.rowCount = rowCount
    self.labels = labels
    self.groups = groups
  }

  /// Measures everything `plan` asks for.
  public func run(_ plan: RobustnessPlan) -> RobustnessReport {
    let cleanProbabilities = model.positiveProbabilities(features: features, rowCount: rowCount)
    let cleanPredictions = cleanProbabilities.map { $0 >= plan.threshold ? Int32(1) : 0 }
    let cleanCorrect = zip(cleanPredictions, labels).map { $0 == $1 }
    let uniform = [Double](repeating: 1, count: rowCount)
    let cleanGroups = groupAccuracies(correct: cleanCorrect, weights: uniform)
    func outcome(_ name: String, kind: String, level: Double, correct: [Bool], weights: [Double]) -> PerturbationOutcome {
      let accuracy = Self.weightedAccuracy(correct, weights: weights, rows: 0..<rowCount)
      let perturbedGroups = groupAccuracies(correct: correct, weights: weights)
      let groupOutcomes = zip(cleanGroups, perturbedGroups).map { clean, perturbed in
        GroupOutcome(attribute: clean.attribute, group: clean.group, count: clean.count, cleanAccuracy: clean.accuracy,
                     accuracy: perturbed.accuracy, accuracyDrop: clean.accuracy - perturbed.accuracy,
                     insufficientData: clean.count < max(plan.minimumGroupSize, 1))
      }
      return PerturbationOutcome(name: name, kind: kind, level: level, accuracy: accuracy,
                                 accuracyDrop: Self.weightedAccuracy(cleanCorrect, weights: uniform, rows: 0..<rowCount) - accuracy,
                                 groups: groupOutcomes, empiricalRobustness: nil, predictionFlipRate: nil)
    }
    func correctness(_ perturbed: [Float]) -> (correct: [Bool], predictions: [Int32]) {
      let predictions = model.positiveProbabilities(features: perturbed, rowCount: rowCount).map { $0 >= plan.threshold ? Int32(1) : 0 }
      return (zip(predictions, labels).map { $0 == $1 }, predictions)
    }
    var outcomes: [PerturbationOutcome] = []
    let perturbations = plan.gaussianNoise.map { Perturbation.gaussianNoise(standardDeviation: $0) }
      + plan.missingFeatures.map { Perturbation.missingFeatures(rate: $0) }
      + plan.categoryCorruption.map { Perturbation.categoryCorruption(rate: $0) }
    for perturbation in perturbations {
      var generator = SeededGenerator(seed: plan.seed, stream: .robustness(name: perturbation.name))
      let perturbed = perturbation.applied(to: features, rowCount: rowCount, layout: layout, using: &generator)
      let kind = String(perturbation.name[..<perturbation.name.lastIndex(of: "_")!])
      outcomes.append(outcome(perturbation.name, kind: kind, level: perturbation.level, correct: correctness(perturbed).correct, weights: uniform))
    }
    for strength in plan.subgroupShift {
      for assignment in groups {
        for (code, label) in Self.presentCodes(assignment) {
          let weights = Self.shiftWeights(codes: assignment.codes, towards: code, strength: strength)
          outcomes.append(outcome("subgroup_shift_\(strength).\(assignment.name).\(label)", kind: "subgroup_shift",
                                  level: strength, correct: cleanCorrect, weights: weights))
        }
      }
    }
    let attacks = plan.fgsm.map { GradientAttack(method: .fgsm, epsilon: $0) }
      + (plan.pgd.map { pgd in
        pgd.epsilons.map { GradientAttack(method: .pgd(steps: pgd.steps, stepSize: pgd.stepSize, randomStart: pgd.randomStart), epsilon: $0) }
      } ?? [])
    for attack in attacks {
      var generator = SeededGenerator(seed: plan.seed, stream: .robustness(name: attack.name))
      let adversarial = attack.adversarialExamples(features: features, labels: labels, rowCount: rowCount, layout: layout,
                                                   model: model, using: &generator)
      let (correct, predictions) = correctness(adversarial)
      var result = outcome(attack.name, kind: attack.name.hasPrefix("fgsm") ? "fgsm" : "pgd", level: attack.epsilon,
                           correct: correct, weights: uniform)
      let flipped = (0..<rowCount).filter { predictions[$0] != cleanPredictions[$0] }
      result.predictionFlipRate = rowCount == 0 ? .nan : Double(flipped.count) / Double(rowCount)
      result.empiricalRobustness = Self.empiricalRobustness(clean: features, adversarial: adversarial,
                                                            width: layout.featureCount, changedRows: flipped)
      outcomes.append(result)
    }
    return RobustnessReport(rowCount: rowCount, threshold: plan.threshold,
                            cleanAccuracy: Self.weightedAccuracy(cleanCorrect, weights: uniform, rows: 0..<rowCount),
                            minimumGroupSize: plan.minimumGroupSize, outcomes: outcomes)
  }
}
