import Foundation
import Testing
@testable import KilnSweep

@Suite struct MedianPrunerTests {
  /// Five complete trials reporting 1 … 5 at step 2 (median 3), and a running one far above.
  static let others: [TrialRecord] = (1...5).map { value in
    TrialRecord(number: value, state: .complete, intermediateValues: [0: 10, 1: 8, 2: Double(value)], values: [Double(value)])
  } + [TrialRecord(number: 6, state: .running, intermediateValues: [2: 100])]

  @Test func prunesWhenTheBestValueSoFarIsWorseThanTheMedian() {
    let trial = TrialRecord(number: 0, intermediateValues: [0: 4, 1: 3.5, 2: 3.2])
    #expect(MedianPruner().shouldPrune(trial, others: Self.others, direction: .minimize))
  }

  @Test func keepsATrialAtOrBelowTheMedian() {
    let trial = TrialRecord(number: 0, intermediateValues: [0: 4, 1: 2.9, 2: 3.2])
    // The best value so far (2.9) counts, not the latest (3.2).
    #expect(!MedianPruner().shouldPrune(trial, others: Self.others, direction: .minimize))
    let atMedian = TrialRecord(number: 0, intermediateValues: [2: 3])
    #expect(!MedianPruner().shouldPrune(atMedian, others: Self.others, direction: .minimize))
  }

  @Test func waitsForStartupTrialsAndWarmupSteps() {
    let trial = TrialRecord(number: 0, intermediateValues: [2: 4.5])
    #expect(!MedianPruner(startupTrials: 6).shouldPrune(trial, others: Self.others, direction: .minimize))
    #expect(!MedianPruner(warmupSteps: 3).shouldPrune(trial, others: Self.others, direction: .minimize))
    #expect(!MedianPruner(warmupSteps: 1, intervalSteps: 2).shouldPrune(trial, others: Self.others, direction: .minimize))
    #expect(MedianPruner(warmupSteps: 0, intervalSteps: 2).shouldPrune(trial, others: Self.others, direction: .minimize))
  }

  @Test func maximisingPrunesBelowTheMedian() {
    let low = TrialRecord(number: 0, intermediateValues: [2: 2.5])
    let high = TrialRecord(number: 0, intermediateValues: [2: 3.5])
    #expect(MedianPruner().shouldPrune(low, others: Self.others, direction: .maximize))
    #expect(!MedianPruner().shouldPrune(high, others: Self.others, direction: .maximize))
  }

  @Test func needsPeersAtTheSameStepAndPrunesAllNaN() {
    let unmatched = TrialRecord(number: 0, intermediateValues: [7: 99])
    #expect(!MedianPruner().shouldPrune(unmatched, others: Self.others, direction: .minimize))
    let diverged = TrialRecord(number: 0, intermediateValues: [2: .nan])
    #expect(MedianPruner().shouldPrune(diverged, others: Self.others, direction: .minimize))
  }

  @Test func medianAveragesTheMiddlePair() {
    #expect(MedianPruner.median([4, 1, 3, 2]) == 2.5)
    #expect(MedianPruner.median([5, 1, 3]) == 3)
  }
}
