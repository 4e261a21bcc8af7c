import Foundation
@testable import KilnMetrics
import Testing

@Suite struct StratifiedBootstrapTests {
  func audit(_ data: SyntheticPredictions, seed: UInt64, resamples: Int = 200) throws -> FairnessReport {
    var generator = TestGenerator(seed: seed)
    return try FairnessAudit.report(labels: data.labels, predictions: data.predictions, attributes: data.attributes,
                                    configuration: .init(intersections: [["sex", "race"]],
                                                         bootstrap: BootstrapConfiguration(resamples: resamples)),
                                    using: &generator)
  }

  @Test func sameSeedGivesIdenticalIntervalsAndAnotherSeedDifferentOnes() throws {
    let data = SyntheticPredictions(rows: 3_000, seed: 5)
    let first = try audit(data, seed: 11), second = try audit(data, seed: 11), third = try audit(data, seed: 12)
    #expect(first == second)
    #expect(first.section("sex")?.measures["equalized_odds_difference"]?.betweenGroups.interval
            != third.section("sex")?.measures["equalized_odds_difference"]?.betweenGroups.interval)
  }

  @Test func intervalsSurroundThePointEstimates() throws {
    let report = try audit(SyntheticPredictions(rows: 5_000, seed: 7), seed: 3)
    var checked = 0
    for section in report.sections {
      let largeGroups = section.groups.filter { $0.count >= 200 }
      let estimates = Array(section.overall.values) + largeGroups.flatMap { Array($0.metrics.values) }
      for estimate in estimates where estimate.interval != nil {
        let interval = estimate.interval!
        #expect(interval.lower <= estimate.value + 1e-12 && estimate.value <= interval.upper + 1e-12)
        #expect(interval.upper - interval.lower < 0.2)
        checked += 1
      }
    }
    #expect(checked > 50)
    let odds = try #require(report.section("race")?.measures["equalized_odds_difference"]?.betweenGroups.interval)
    #expect(odds.resamples == 200 && odds.undefinedResamples == 0 && odds.lower < odds.upper)
  }

  @Test func moreRowsGiveNarrowerIntervals() throws {
    let small = try audit(SyntheticPredictions(rows: 1_000, seed: 9), seed: 1)
    let large = try audit(SyntheticPredictions(rows: 20_000, seed: 9), seed: 1)
    func width(_ report: FairnessReport) -> Double {
      let interval = report.section("sex")!.overall["accuracy"]!.interval!
      return interval.upper - interval.lower
    }
    #expect(width(large) < width(small) / 2)
  }

  @Test func resamplesKeepEveryGroupsSizeAndPositiveCount() {
    let labels = [1, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    let predictions = [1, 0, 1, 0, 1, 1, 0, 1, 0, 0]
    let cells: [Int32] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    let strata = StratifiedBootstrap(labels: labels, predictions: predictions, cellCodes: cells, cellCount: 2)
    #expect(strata.originalCellCounts[0] == ConfusionCounts(truePositives: 2, falsePositives: 1, trueNegatives: 1, falseNegatives: 1))
    var generator = SeededGenerator(seededFrom: &TestGeneratorBox.shared)
    var resampled = [ConfusionCounts](repeating: ConfusionCounts(), count: 2)
    for _ in 0..<100 {
      strata.resample(into: &resampled, generator: &generator)
      #expect(resampled[0].count == 5 && resampled[0].positives == 3)
      #expect(resampled[1].count == 5 && resampled[1].positives == 2)
    }
  }

  @Test func percentileInterpolatesLinearlyAsNumpy() {
    // numpy.percentile([1, 2, 3, 4], [25, 75]) == [1.75, 3.25]
    #expect(StratifiedBootstrap.percentile([1, 2, 3, 4], 0.25) == 1.75)
    #expect(StratifiedBootstrap.percentile([1, 2, 3, 4], 0.75) == 3.25)
    let interval = StratifiedBootstrap.percentileInterval([4, .nan, 1, 3, 2], level: 0.5)
    #expect(interval.lower == 1.75 && interval.upper == 3.25 && interval.undefinedResamples == 1)
  }

  @Test func resampledCountsAverageTheStratumShare() {
    let labels = [Int](repeating: 1, count: 50) + [Int](repeating: 0, count: 30)
    let predictions = (0..<50).map { $0 < 10 ? 1 : 0 } + (0..<30).map { $0 < 30 ? 1 : 0 }
    let strata = StratifiedBootstrap(labels: labels, predictions: predictions, cellCodes: [Int32](repeating: 0, count: 80), cellCount: 1)
    var source = TestGenerator(seed: 42)
    var generator = SeededGenerator(seededFrom: &source)
    var cells = [ConfusionCounts()]
    var truePositives = 0
    for _ in 0..<2_000 {
      strata.resample(into: &cells, generator: &generator)
      truePositives += cells[0].truePositives
      #expect(cells[0].falsePositives == 30, "a stratum where every row is predicted 1 stays so")
    }
    #expect(abs(Double(truePositives) / 2_000 - 10) < 0.3)
  }
}

enum TestGeneratorBox {
  nonisolated(unsafe) static var shared = TestGenerator(seed: 99)
}
