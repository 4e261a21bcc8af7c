import Foundation
import Testing
@testable import KilnSweep

/// A shifted quadratic bowl in three dimensions; minimum 0 at (1, −2, 0.5).
func quadratic(_ trial: Trial) -> Double {
  let x = trial.suggestFloat("x", in: -10...10)
  let y = trial.suggestFloat("y", in: -10...10)
  let z = trial.suggestFloat("z", in: -10...10)
  return (x - 1) * (x - 1) + (y + 2) * (y + 2) + (z - 0.5) * (z - 0.5)
}

func bestValue(sampler: any Sampler, seed: UInt64, trials: Int) throws -> Double {
  let study = Study(sampler: sampler, seed: seed)
  try study.optimize(trials: trials, objective: quadratic)
  return try study.bestTrial()!.value!
}

@Suite struct TPESamplerTests {
  /// Statistical: over a fixed set of seeds, TPE's best value after 60 trials should beat
  /// random search's on most seeds and in the median. It can fail if TPE stops learning.
  @Test(arguments: [true, false])
  func tpeBeatsRandomSearchOnAQuadratic(multivariate: Bool) throws {
    let seeds: [UInt64] = Array(0..<10)
    let tpe = try seeds.map { try bestValue(sampler: TPESampler(.init(multivariate: multivariate)), seed: $0, trials: 60) }
    let random = try seeds.map { try bestValue(sampler: RandomSampler(), seed: $0, trials: 60) }
    let wins = zip(tpe, random).filter { $0 < $1 }.count
    #expect(wins >= 8, "TPE won on \(wins) of 10 seeds: \(tpe) vs \(random)")
    #expect(MedianPruner.median(tpe) < 0.5 * MedianPruner.median(random))
  }

  @Test func startupTrialsMatchRandomSearch() throws {
    let tpe = Study(sampler: TPESampler(.init(startupTrials: 8)), seed: 4)
    let random = Study(sampler: RandomSampler(), seed: 4)
    try tpe.optimize(trials: 8, objective: quadratic)
    try random.optimize(trials: 8, objective: quadratic)
    #expect(try tpe.trials().map(\.parameters) == random.trials().map(\.parameters))
  }

  @Test func splitRanksCompleteTrialsByValueThenPrunedByProgress() {
    let trials = [
      TrialRecord(number: 0, state: .complete, values: [5]),
      TrialRecord(number: 1, state: .pruned, intermediateValues: [0: 9, 3: 1], values: [1]),
      TrialRecord(number: 2, state: .complete, values: [2]),
      TrialRecord(number: 3, state: .pruned, intermediateValues: [0: 0.5], values: [0.5]),
      TrialRecord(number: 4, state: .complete, values: [7]),
    ]
    let (good, bad) = TPESampler.split(trials, goodCount: 4, direction: .minimize)
    #expect(good.map(\.number) == [0, 1, 2, 4])
    #expect(bad.map(\.number) == [3])
    let (goodMax, _) = TPESampler.split(trials, goodCount: 1, direction: .maximize)
    #expect(goodMax.map(\.number) == [4])
  }

  @Test func gammaIsTenPercentCappedAt25() {
    let sampler = TPESampler()
    #expect(sampler.gamma(1) == 1)
    #expect(sampler.gamma(10) == 1)
    #expect(sampler.gamma(11) == 2)
    #expect(sampler.gamma(1_000) == 25)
  }

  @Test func observationWeightsRampOverTheOldestTrials() {
    #expect(TPESampler.observationWeights(3) == [1, 1, 1])
    let weights = TPESampler.observationWeights(35)
    #expect(weights.count == 35)
    #expect(abs(weights[0] - 1.0 / 35) < 1e-12)
    #expect(abs(weights[9] - 1) < 1e-12)
    #expect(weights[10...].allSatisfy { $0 == 1 })
  }

  @Test func intersectionSearchSpaceKeepsParametersSharedWithTheSameDistribution() {
    let unit = ParameterDistribution.float(low: 0, high: 1, scale: .linear, step: nil)
    let wide = ParameterDistribution.float(low: 0, high: 2, scale: .linear, step: nil)
    let trials = [
      TrialRecord(number: 0, state: .complete, distributions: ["a": unit, "b": unit, "c": unit], values: [1]),
      TrialRecord(number: 1, state: .complete, distributions: ["a": unit, "b": wide], values: [1]),
    ]
    #expect(TPESampler.intersectionSearchSpace(trials).map(\.name) == ["a"])
  }

  @Test func conditionalParametersAreSampledFromTheTrialsThatHaveThem() throws {
    let study = Study(sampler: TPESampler(.init(startupTrials: 5)), seed: 6)
    try study.optimize(trials: 40) { trial in
      let kind = trial.suggestCategorical("kind", ["linear", "tree"])
      if kind == "linear" {
        let penalty = trial.suggestFloat("penalty", in: 1e-4...10, scale: .logarithmic)
        return abs(log10(penalty) - 0)
      }
      let depth = trial.suggestInt("depth", in: 1...12)
      return Double(abs(depth - 4)) / 2 + 0.1
    }
    let trials = try study.trials()
    #expect(trials.allSatisfy { $0.state == .complete })
    #expect(trials.allSatisfy { ($0.parameters["penalty"] == nil) != ($0.parameters["depth"] == nil) })
    #expect(try study.bestTrial()!.value! < 0.2)
  }

  @Test func defaultsAreOptunasAndThePresetOnlyWidensGammaAndCandidates() {
    let defaults = TPESampler.Configuration()
    #expect(defaults.startupTrials == 10 && defaults.candidateCount == 24 && defaults.gammaFraction == 0.1)
    #expect(defaults.gammaCap == 25 && defaults.priorWeight == 1 && defaults.multivariate)
    var preset = TPESampler.Configuration.exploitative
    #expect(preset.candidateCount == 48 && preset.gammaFraction == 0.15)
    preset.candidateCount = 24
    preset.gammaFraction = 0.1
    #expect(preset == defaults)
  }
}
