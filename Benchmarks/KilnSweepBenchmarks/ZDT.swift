import Foundation
import KilnSweep

/// The two-objective test problems ZDT1, ZDT2 and ZDT3 of Zitzler, Deb & Thiele, "Comparison of
/// Multiobjective Evolutionary Algorithms: Empirical Results", Evolutionary Computation 8(2),
/// 2000: 30 variables in [0, 1], both objectives minimised, f₁ = x₁,
/// g = 1 + 9·Σᵢ₌₂ xᵢ / 29, f₂ = g·h(f₁, g).
enum ZDTProblem: String, CaseIterable {
  case zdt1
  case zdt2
  case zdt3

  static let variableCount = 30
  /// Worse than every reachable point (f₁ ≤ 1, f₂ ≤ g ≤ 10): the hypervolume's reference.
  static let reference = [1.1, 11.0]

  func evaluate(_ trial: Trial) -> [Double] {
    let x = (0..<Self.variableCount).map { trial.suggestFloat("x\($0)", in: 0...1) }
    let f1 = x[0]
    let g = 1 + 9 * x[1...].reduce(0, +) / Double(Self.variableCount - 1)
    let ratio = f1 / g
    switch self {
    case .zdt1: return [f1, g * (1 - ratio.squareRoot())]
    case .zdt2: return [f1, g * (1 - ratio * ratio)]
    case .zdt3: return [f1, g * (1 - ratio.squareRoot() - ratio * sin(10 * Double.pi * f1))]
    }
  }
}

/// Hypervolume after each budget, per seed, of NSGA-II (population 50) on each ZDT problem.
func runNSGAII(seeds: Int, seedOffset: Int, budgets: [Int]) throws {
  for problem in ZDTProblem.allCases {
    var results: [Int: [Double]] = [:]
    for seed in 0..<seeds {
      let study = Study(directions: [.minimize, .minimize], sampler: NSGAIISampler(), seed: UInt64(seed + seedOffset))
      try study.optimize(trials: budgets.max() ?? 0) { problem.evaluate($0) }
      let points = try study.trials().compactMap(\.values)
      for budget in budgets {
        let volume = Pareto.hypervolume(Array(points.prefix(budget)), reference: ZDTProblem.reference,
                                        directions: [.minimize, .minimize])
        results[budget, default: []].append(volume)
      }
    }
    for budget in budgets {
      let values = results[budget] ?? []
      emit("sweep.nsga2.\(problem.rawValue).trials\(budget).hypervolume_median", percentile(values, 50),
           units: "hypervolume (higher is better)", values: values)
    }
  }
}
