import Foundation
import Testing
@testable import KilnSweep

/// A small mixed objective: a quadratic in a float and an integer, plus a categorical offset.
func mixedObjective(_ trial: Trial) -> Double {
  let x = trial.suggestFloat("x", in: -5...5)
  let rate = trial.suggestFloat("rate", in: 1e-4...1, scale: .logarithmic)
  let layers = trial.suggestInt("layers", in: 1...6)
  let activation = trial.suggestCategorical("activation", ["relu", "tanh", "gelu"])
  let offset = activation == "tanh" ? 0.0 : 0.5
  return (x - 1) * (x - 1) + abs(log10(rate) + 2) + Double(layers - 3) * Double(layers - 3) + offset
}

func suggestions(of study: Study) throws -> [[String: ParameterValue]] {
  try study.trials().map(\.parameters)
}

@Suite struct StudyTests {
  @Test(arguments: ["random", "tpe", "tpe-univariate", "sobol"])
  func sameSeedGivesTheSameSuggestions(samplerName: String) throws {
    func sampler() -> any Sampler {
      switch samplerName {
      case "random": return RandomSampler()
      case "tpe": return TPESampler(.init(startupTrials: 5))
      case "tpe-univariate": return TPESampler(.init(startupTrials: 5, multivariate: false))
      default: return SobolSampler()
      }
    }
    let first = Study(sampler: sampler(), seed: 11)
    let second = Study(sampler: sampler(), seed: 11)
    let other = Study(sampler: sampler(), seed: 12)
    for study in [first, second, other] { try study.optimize(trials: 25, objective: mixedObjective) }
    #expect(try suggestions(of: first) == suggestions(of: second))
    #expect(try suggestions(of: first) != suggestions(of: other))
  }

  @Test func valuesStayInsideTheirDistributions() throws {
    let study = Study(sampler: TPESampler(.init(startupTrials: 4)), seed: 3)
    try study.optimize(trials: 30, objective: mixedObjective)
    for trial in try study.trials() {
      for (name, value) in trial.parameters {
        #expect(trial.distributions[name]!.contains(value), "trial \(trial.number): \(name) = \(value)")
      }
    }
  }

  @Test func askingTwiceForANameReturnsTheSameValue() throws {
    let study = Study(sampler: RandomSampler(), seed: 1)
    try study.optimize(trials: 3) { trial in
      let first = trial.suggestFloat("x", in: 0...1)
      let second = trial.suggestFloat("x", in: 0...1)
      #expect(first == second)
      return first
    }
    #expect(try study.trials().allSatisfy { $0.parameterOrder == ["x"] })
  }

  @Test func throwingObjectiveGivesAFailedTrialAndTheSweepGoesOn() throws {
    struct Diverged: Error, CustomStringConvertible {
      var description: String { "the loss diverged" }
    }
    let study = Study(sampler: RandomSampler(), seed: 2)
    try study.optimize(trials: 6) { trial in
      let x = trial.suggestFloat("x", in: 0...1)
      if trial.number % 3 == 1 { throw Diverged() }
      if trial.number == 5 { return .nan }
      return x
    }
    let trials = try study.trials()
    #expect(trials.count == 6)
    #expect(trials.map(\.state) == [.complete, .failed, .complete, .complete, .failed, .failed])
    #expect(trials[1].error == "the loss diverged")
    #expect(trials[5].error == "the objective returned NaN")
    #expect(trials[1].parameters["x"] != nil)
    #expect(try study.bestTrial()?.number == [0, 2, 3].min { trials[$0].value! < trials[$1].value! })
  }

  @Test func prunedTrialKeepsItsLastReportedValue() throws {
    let study = Study(sampler: RandomSampler(), seed: 2)
    try study.optimize(trials: 1) { trial -> Double in
      trial.report(3, step: 0)
      trial.report(2, step: 1)
      throw TrialPruned()
    }
    let trial = try #require(try study.trials().first)
    #expect(trial.state == .pruned && trial.value == 2 && trial.error == nil)
  }

  @Test func maximisingStudyPicksTheLargestValue() throws {
    let study = Study(direction: .maximize, sampler: RandomSampler(), seed: 4)
    try study.optimize(trials: 10) { $0.suggestFloat("x", in: 0...1) }
    let values = try study.trials().map { $0.value! }
    #expect(try study.bestTrial()?.value == values.max())
  }

  @Test func restartedTrialGetsTheSameSuggestionsFromItsNumber() throws {
    let study = Study(sampler: TPESampler(.init(startupTrials: 3)), seed: 8, synchronization: .batches(of: 1))
    try study.optimize(trials: 6, objective: mixedObjective)
    let before = try study.trials()[2].parameters
    let again = try study.askAgain(number: 2, leaseOwner: "worker-9")
    _ = mixedObjective(again)
    #expect(again.parameters == before)
    try study.tell(again, result: .success(1))
  }

  @Test(arguments: [2, 3])
  func synchronizedBatchesGiveTheSameTrialsForAnyWorkerCount(workers: Int) throws {
    func run(parallelism: Int) throws -> [TrialRecord] {
      let study = Study(sampler: TPESampler(.init(startupTrials: 4)), pruner: MedianPruner(startupTrials: 2),
                        seed: 21, synchronization: .batches(of: 4))
      try study.optimize(trials: 20, parallelism: parallelism) { trial in
        let value = mixedObjective(trial)
        for step in 0..<3 {
          trial.report(value * Double(3 - step), step: step)
          if trial.shouldPrune { throw TrialPruned() }
        }
        return value
      }
      return try study.trials()
    }
    let sequential = try run(parallelism: 1)
    let parallel = try run(parallelism: workers)
    #expect(sequential.count == 20)
    #expect(sequential.map(\.parameters) == parallel.map(\.parameters))
    #expect(sequential.map(\.state) == parallel.map(\.state))
    #expect(sequential.map(\.value) == parallel.map(\.value))
  }

  @Test func parallelOptimizeRunsEveryTrial() throws {
    let study = Study(sampler: RandomSampler(), seed: 5)
    try study.optimize(trials: 12, parallelism: 3) { trial in trial.suggestFloat("x", in: 0...1) }
    let trials = try study.trials()
    #expect(trials.map(\.number) == Array(0..<12))
    #expect(trials.allSatisfy { $0.state == .complete })
  }
}
