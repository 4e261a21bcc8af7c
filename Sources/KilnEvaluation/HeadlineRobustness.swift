import KilnRandom
import KilnData
import KilnRobustness
import KilnTensor
import KilnConfiguration
import KilnTraining

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
      var generator = SeededGenerator(seed: seed, stream: .robustness(name: perturbation.name))
      return outcome(name: perturbation.name, level: perturbation.level,
                     perturbed: perturbation.applied(to: rows.features, rowCount: rows.rowCount, layout: layout, using: &generator))
    }
    for attack in attacks {
      var generator = SeededGenerator(seed: seed, stream: .robustness(name: attack.name))
      outcomes.append(outcome(name: attack.name, level: attack.epsilon, perturbed: adversarial(attack, &generator)))
    }
    return HeadlineRobustnessReport(metric: kind == .regression ? "rmse" : "accuracy",
                                    worsening: kind == .regression ? "rmse_increase" : "accuracy_drop",
                                    clean: clean, minimumGroupSize: minimumGroupSize, outcomes: outcomes)
  }
}
