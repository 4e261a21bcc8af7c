@testable import KilnMetrics
import Testing

@Suite struct RegressionReportTests {
  @Test func everyMetricHasAPlainBootstrapIntervalAroundItsValue() throws {
    let golden = try LabelKindGolden.named("regression_basic")
    var generator = TestGenerator(seed: 9)
    let report = RegressionReport(targets: golden.doubles("targets"), predictions: golden.doubles("predictions"),
                                  bootstrap: BootstrapConfiguration(resamples: 300), using: &generator)
    for name in RegressionReport.metricNames {
      let estimate = try #require(report.metrics[name])
      let interval = try #require(estimate.interval, "\(name) has no interval")
      #expect(interval.lower <= estimate.value && estimate.value <= interval.upper, "\(name): \(estimate.value) outside \(interval)")
      #expect(interval.lower < interval.upper)
    }
    let named = report.namedMetrics(split: "test")
    #expect(Set(named.keys) == Set(RegressionReport.metricNames.map { "test.\($0)" }))
  }

  @Test func constantTargetsMarkRSquaredAndExplainedVarianceUndefinedWithScikitLearnsValue() throws {
    var generator = TestGenerator(seed: 1)
    let report = RegressionReport(targets: [3, 3, 3, 3], predictions: [2.5, 3, 3.5, 4], using: &generator)
    #expect(report.metrics["r2"]?.value == 0)
    #expect(report.metrics["r2"]?.undefined == .constantTargets)
    #expect(report.metrics["explained_variance"]?.undefined == .constantTargets)
    #expect(report.metrics["rmse"]?.isDefined == true)
  }

  @Test func weightedMedianEqualsTheMedianOfTheRepeatedValues() {
    let sorted = [1.0, 2, 4, 8]
    #expect(RegressionMetrics.weightedMedian(sortedValues: sorted, weights: nil) == 3)
    // 1, 2, 2, 2, 8, 8 → (2 + 2) / 2; 1, 4, 4, 8, 8 → 4.
    #expect(RegressionMetrics.weightedMedian(sortedValues: sorted, weights: [1, 3, 0, 2]) == 2)
    #expect(RegressionMetrics.weightedMedian(sortedValues: sorted, weights: [1, 0, 2, 2]) == 4)
    #expect(RegressionMetrics.weightedMedian(sortedValues: sorted, weights: [0, 1, 1, 0]) == 3)
  }
}
