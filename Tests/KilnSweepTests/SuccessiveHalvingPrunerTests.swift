import Foundation
import Testing
@testable import KilnMetricDirection
import KilnSweep

@Suite struct SuccessiveHalvingPrunerTests {
  let pruner = SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 2)
  /// Rung 0 (step 1) values 0.5, 0.7, 0.9; rung 1 (step 2) values 0.4 and 0.8.
  let others = [
    TrialRecord(number: 1, state: .complete, intermediateValues: [1: 0.5, 2: 0.4], values: [0.4]),
    TrialRecord(number: 2, state: .pruned, intermediateValues: [1: 0.7], values: [0.7]),
    TrialRecord(number: 3, state: .running, intermediateValues: [1: 0.9, 2: 0.8]),
  ]

  @Test func rungsGrowByTheReductionFactor() {
    #expect((0..<4).map(pruner.rungStep) == [1, 2, 4, 8])
    let later = SuccessiveHalvingPruner(minimumResource: 3, reductionFactor: 3, minimumEarlyStoppingRate: 1)
    #expect((0..<3).map(later.rungStep) == [9, 27, 81])
  }

  @Test func promotesTheTopFractionOfEachRung() {
    // Rung 0 holds 0.5, 0.7, 0.9 and the trial's own value: the best 4/2 = 2 go on.
    #expect(!pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 0.6]), others: others, direction: .minimize))
    #expect(pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 0.8]), others: others, direction: .minimize))
    #expect(!pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 0.8]), others: others, direction: .maximize))
  }

  @Test func judgesOnlyTheRungsTheLatestReportReached() {
    // Rung 1 holds 0.4, 0.8 and the trial's: 3 / 2 = 1 goes on, so 0.45 stops and 0.35 goes on.
    let behind = TrialRecord(number: 0, intermediateValues: [1: 0.6, 2: 0.45])
    let ahead = TrialRecord(number: 0, intermediateValues: [1: 0.6, 2: 0.35])
    #expect(pruner.shouldPrune(behind, others: others, direction: .minimize))
    #expect(!pruner.shouldPrune(ahead, others: others, direction: .minimize))
    // Between rungs nothing is judged, even with a poor value.
    let between = TrialRecord(number: 0, intermediateValues: [1: 0.6, 2: 0.35, 3: 5])
    #expect(!pruner.shouldPrune(between, others: others, direction: .minimize))
  }

  @Test func firstTrialsAtARungMustBeItsBest() {
    // With fewer than η values at a rung, only the best goes on.
    let lone = [TrialRecord(number: 1, state: .complete, intermediateValues: [1: 0.5], values: [0.5])]
    #expect(pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 0.6]), others: lone, direction: .minimize))
    #expect(!pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 0.4]), others: lone, direction: .minimize))
    #expect(!pruner.shouldPrune(TrialRecord(number: 0, intermediateValues: [1: 9]), others: [], direction: .minimize))
  }

  @Test func prunesTheConfigurationsItShouldOnASyntheticLearningCurve() throws {
    // Loss at step s is q + 1/s; the grid gives the trials q in this order.
    let qualities = [0.5, 0.3, 0.9, 0.1, 0.7, 0.8, 0.45]
    let study = Study(sampler: GridSampler(space: ["q": qualities.map(ParameterValue.float)]),
                      pruner: pruner, seed: 0)
    try study.optimize(trials: qualities.count) { trial in
      let quality = trial.suggestFloat("q", in: 0...1)
      var loss = 0.0
      for step in 1...8 {
        loss = quality + 1 / Double(step)
        trial.report(loss, step: step)
        if trial.shouldPrune { throw TrialPruned() }
      }
      return loss
    }
    let trials = try study.trials()
    #expect(trials.map(\.state) == [.complete, .complete, .pruned, .complete, .pruned, .pruned, .pruned])
    // Trials 2, 4 and 5 stop at the first rung (step 1); trial 6 passes it and stops at step 2.
    #expect(trials.map(\.lastStep) == [8, 8, 1, 8, 1, 1, 2])
    #expect(try study.bestTrial()?.number == 3)
  }

  @Test func severalObjectivesKeepTheBestByRankThenCrowding() {
    let pruner = SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 2)
    let both: [MetricDirection] = [.minimize, .minimize]
    func trial(_ number: Int, _ values: [Double]) -> TrialRecord {
      TrialRecord(number: number, intermediateValues: [1: values[0]], intermediateObjectives: [1: values])
    }
    let others = [trial(1, [0.1, 0.5]), trial(2, [0.5, 0.1]), trial(3, [0.3, 0.3])]
    // Four at the rung, two go on: a vector all three dominate does not; an extreme of the front does.
    #expect(pruner.shouldPrune(trial(0, [0.9, 0.9]), others: others, directions: both))
    #expect(!pruner.shouldPrune(trial(0, [0.05, 0.95]), others: others, directions: both))
    #expect(pruner.shouldPrune(trial(0, [0.05, .nan]), others: others, directions: both))
    // Maximising both, the same vector now dominates the others.
    #expect(!pruner.shouldPrune(trial(0, [0.9, 0.9]), others: others, directions: [.maximize, .maximize]))
    #expect(!MedianPruner().handlesMultipleObjectives && pruner.handlesMultipleObjectives)
  }
}
