import KilnRandom
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
    #expect(first.section("sex")?.measures?["equalized_odds_difference"]?.betweenGroups.interval
            != third.section("sex")?.measures?["equalized_odds_difference"]?.betweenGroups.interval)
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
    let odds = try #require(report.section("race")?.measures?["equalized_odds_difference"]?.betweenGroups.interval)
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

  @Test func theNormalQuantileAndCDFMatchTheirTableValues() {
    // Φ⁻¹(0.975) = 1.959963984540054 and Φ(1) = 0.8413447460685429 (standard normal tables).
    #expect(abs(NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-12)
    #expect(abs(NormalDistribution.cdf(1) - 0.8413447460685429) < 1e-15)
    for p in [1e-9, 0.001, 0.02, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9] {
      #expect(abs(NormalDistribution.cdf(NormalDistribution.quantile(p)) - p) < 1e-12 * max(1, p / 1e-9), "p = \(p)")
    }
  }

  @Test func bcaEqualsThePercentileIntervalWithoutBiasOrSkew() throws {
    let values = (1...999).map(Double.init)
    let bca = try #require(StratifiedBootstrap.bcaInterval(values, estimate: 500, jackknife: [(-1, 10), (1, 10)], level: 0.9))
    let percentile = StratifiedBootstrap.percentileInterval(values, level: 0.9)
    #expect(abs(bca.lower - percentile.lower) < 1e-9 && abs(bca.upper - percentile.upper) < 1e-9)
    #expect(bca.method == .bca && percentile.method == .percentile)
  }

  @Test func bcaCorrectsForResamplesOnOneSideOfTheEstimate() throws {
    // 40% of the resamples lie below the estimate: z₀ = Φ⁻¹(0.4) < 0, so both bounds move down.
    let values = (1...100).map(Double.init)
    let bca = try #require(StratifiedBootstrap.bcaInterval(values, estimate: 40.5, jackknife: [(-1, 5), (1, 5)], level: 0.9))
    let bias = NormalDistribution.quantile(0.4), z = NormalDistribution.quantile(0.95)
    #expect(abs(bca.lower - StratifiedBootstrap.percentile(values, NormalDistribution.cdf(2 * bias - z))) < 1e-9)
    #expect(abs(bca.upper - StratifiedBootstrap.percentile(values, NormalDistribution.cdf(2 * bias + z))) < 1e-9)
    let percentile = StratifiedBootstrap.percentileInterval(values, level: 0.9)
    #expect(bca.lower < percentile.lower && bca.upper < percentile.upper)
    // A jackknife skewed to the right (acceleration a < 0) pulls the upper bound in further.
    let skewed = try #require(StratifiedBootstrap.bcaInterval(values, estimate: 40.5, jackknife: [(0, 3), (3, 1)], level: 0.9))
    #expect(skewed.upper < bca.upper)
  }

  @Test func bcaIsUndefinedWhenItCannotCorrect() {
    let values = (1...100).map(Double.init)
    #expect(StratifiedBootstrap.bcaInterval(values, estimate: 0.5, jackknife: [(-1, 1), (1, 1)], level: 0.95) == nil)
    #expect(StratifiedBootstrap.bcaInterval(values, estimate: 50.5, jackknife: [(2, 7)], level: 0.95) == nil)
    #expect(StratifiedBootstrap.bcaInterval(values, estimate: .nan, jackknife: [(-1, 1), (1, 1)], level: 0.95) == nil)
    #expect(StratifiedBootstrap.bcaInterval(values, estimate: 50.5, jackknife: [(.nan, 1), (1, 1)], level: 0.95) == nil)
  }

  @Test func disparitiesGetBCaIntervalsAndGroupValuesPercentiles() throws {
    let report = try audit(SyntheticPredictions(rows: 2_000, seed: 9), seed: 4)
    var bca = 0
    for section in report.sections {
      for group in section.groups {
        for estimate in group.metrics.values { #expect(estimate.interval.map { $0.method == .percentile } ?? true) }
      }
      for (_, pair) in section.measures ?? [:] {
        for estimate in [pair.betweenGroups, pair.toOverall] {
          guard let interval = estimate.interval else { continue }
          #expect(interval.method != .percentile, "a disparity without BCa or its flag")
          if interval.method == .bca { bca += 1 }
        }
      }
    }
    #expect(bca > 10)
  }
}

enum TestGeneratorBox {
  nonisolated(unsafe) static var shared = TestGenerator(seed: 99)
}
