import Foundation
import KilnMetricDirection
@testable import KilnSweep
import Testing

/// ZDT1 (Zitzler, Deb & Thiele 2000) on `count` variables: both objectives minimised.
func zdt1(_ trial: Trial, count: Int = 10) -> [Double] {
  let x = (0..<count).map { trial.suggestFloat("x\($0)", in: 0...1) }
  let g = 1 + 9 * x[1...].reduce(0, +) / Double(count - 1)
  return [x[0], g * (1 - (x[0] / g).squareRoot())]
}

@Suite struct NSGAIISamplerTests {
  static let both: [MetricDirection] = [.minimize, .minimize]

  static func study(_ sampler: any Sampler, seed: UInt64 = 3, synchronization: Study.Synchronization = .none) -> Study {
    Study(directions: both, sampler: sampler, seed: seed, synchronization: synchronization)
  }

  @Test func beatsRandomSearchOnZDT1() throws {
    let configuration = NSGAIISampler.Configuration(populationSize: 20)
    var volumes: [String: Double] = [:]
    for (name, sampler) in [("nsga2", NSGAIISampler(configuration) as any Sampler), ("random", RandomSampler())] {
      let study = Self.study(sampler)
      try study.optimize(trials: 200) { zdt1($0) }
      volumes[name] = Pareto.hypervolume(try study.trials().compactMap(\.values), reference: [1.1, 11],
                                         directions: Self.both)
    }
    #expect((volumes["nsga2"] ?? 0) > (volumes["random"] ?? 0) + 0.3, "\(volumes)")
  }

  @Test func theSameSeedGivesTheSameSweepAtAnyWorkerCount() throws {
    let configuration = NSGAIISampler.Configuration(populationSize: 8)
    func run(parallelism: Int) throws -> [[Double]] {
      let study = Self.study(NSGAIISampler(configuration), seed: 11, synchronization: .batches(of: 8))
      try study.optimize(trials: 40, parallelism: parallelism) { zdt1($0, count: 4) }
      return try study.trials().map { $0.values ?? [] }
    }
    let sequential = try run(parallelism: 1)
    #expect(sequential.count == 40)
    #expect(try run(parallelism: 3) == sequential)
    #expect(try run(parallelism: 1) == sequential)
  }

  @Test func parentsAreTheElitesOfEarlierGenerations() throws {
    let sampler = NSGAIISampler(NSGAIISampler.Configuration(populationSize: 2))
    func trial(_ number: Int, _ values: [Double]) -> TrialRecord {
      TrialRecord(number: number, state: .complete, values: values)
    }
    // Generation 0: trials 0 and 1; generation 1: trials 2 and 3, of which 3 dominates everything.
    let history = [trial(0, [1, 1]), trial(1, [2, 2]), trial(2, [3, 3]), trial(3, [0, 0])]
    let first = sampler.parentPopulation(generation: 1, history: history, directions: Self.both)
    #expect(first.map(\.number) == [0, 1])
    let second = sampler.parentPopulation(generation: 2, history: history, directions: Self.both)
    #expect(second.map(\.number).sorted() == [0, 3])
  }

  @Test func childrenStayInTheirDistributions() throws {
    let study = Self.study(NSGAIISampler(NSGAIISampler.Configuration(populationSize: 6)))
    try study.optimize(trials: 60) { trial in
      let rate = trial.suggestFloat("rate", in: 1e-4...1, scale: .logarithmic)
      let layers = trial.suggestInt("layers", in: 1...5)
      let kind = trial.suggestCategorical("kind", ["a", "b", "c"])
      return [rate * Double(layers), kind == "a" ? 1.0 / rate : Double(layers)]
    }
    for record in try study.trials() {
      for (name, value) in record.parameters {
        #expect(record.distributions[name]?.contains(value) == true, "trial \(record.number): \(name) = \(value)")
      }
    }
  }

  @Test func theParetoFrontHoldsTheNonDominatedCompleteTrials() throws {
    let study = Self.study(RandomSampler())
    let answers: [[Double]] = [[1, 3], [2, 2], [3, 3], [0, 5]]
    var index = 0
    try study.optimize(trials: 4) { _ in
      defer { index += 1 }
      return answers[index]
    }
    #expect(try study.paretoFront().map(\.number) == [0, 1, 3])
  }

  @Test func aWrongValueCountOrNaNFailsTheTrial() throws {
    let study = Self.study(RandomSampler())
    try study.optimize(trials: 1) { _ in [1] }
    try study.optimize(trials: 1) { _ in [1, .nan] }
    let trials = try study.trials()
    #expect(trials.map(\.state) == [.failed, .failed])
    #expect(trials[0].error == "the objective returned 1 values for 2 objectives")
  }

  @Test func prunedTrialsOfSeveralObjectivesKeepTheirLastReportedVector() throws {
    let study = Study(directions: Self.both, sampler: NSGAIISampler(NSGAIISampler.Configuration(populationSize: 8)),
                      pruner: SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 2), seed: 5)
    try study.optimize(trials: 32) { trial in
      let final = zdt1(trial, count: 4)
      for step in 1...4 {
        // A learning curve that approaches the final values.
        let values = final.map { $0 + 1 / Double(step) }
        trial.report(values: values, step: step)
        if trial.shouldPrune { throw TrialPruned() }
      }
      return final
    }
    let pruned = try study.trials().filter { $0.state == .pruned }
    #expect(!pruned.isEmpty)
    for trial in pruned {
      #expect(trial.values?.count == 2 && trial.values == trial.lastReportedValues)
    }
  }
}
