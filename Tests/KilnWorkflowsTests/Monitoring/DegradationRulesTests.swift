import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct DegradationRulesTests {
  @Test func errorsDegradeWhenTheyRiseAndScoresWhenTheyFall() {
    let rules = DegradationRules(nil)
    // rmse: lower is better, 10% of the baseline allowed by default.
    #expect(rules.isDegraded(metric: "rmse", current: 2.3, baseline: 2.0))
    #expect(!rules.isDegraded(metric: "rmse", current: 2.15, baseline: 2.0))
    #expect(!rules.isDegraded(metric: "rmse", current: 1.0, baseline: 2.0))
    #expect(rules.isDegraded(metric: "log_loss", current: 0.9, baseline: 0.7))
    // accuracy and r2: higher is better, an absolute 0.02 allowed.
    #expect(rules.isDegraded(metric: "accuracy", current: 0.80, baseline: 0.85))
    #expect(!rules.isDegraded(metric: "accuracy", current: 0.95, baseline: 0.85))
    #expect(rules.isDegraded(metric: "r2", current: 0.5, baseline: 0.9))
    // Fairness differences: lower is better, 0.05 allowed.
    #expect(rules.isDegraded(metric: "fairness.group.accuracy_difference", current: 0.2, baseline: 0.1))
    #expect(!rules.isDegraded(metric: "fairness.group.accuracy_difference", current: 0.0, baseline: 0.1))
  }

  @Test func theMonitoringBlockSetsEachLimitAndMaxWorseningOverridesThem() {
    let rules = DegradationRules(MonitoringConfiguration(maxMetricDrop: 0.1, maxFairnessIncrease: 0.2, maxErrorIncrease: 0.5,
                                                         maxWorsening: ["mae": 0.01, "fairness.group.mae_difference": 3]))
    #expect(!rules.isDegraded(metric: "accuracy", current: 0.8, baseline: 0.85))
    #expect(!rules.isDegraded(metric: "rmse", current: 2.9, baseline: 2.0))
    #expect(rules.isDegraded(metric: "rmse", current: 3.1, baseline: 2.0))
    #expect(rules.allowedWorsening(metric: "mae", baseline: 2.0) == 0.01)
    #expect(rules.isDegraded(metric: "mae", current: 2.02, baseline: 2.0))
    #expect(rules.allowedWorsening(metric: "fairness.group.mae_difference", baseline: 0.5) == 3)
    #expect(rules.allowedWorsening(metric: "fairness.sex.demographic_parity_difference", baseline: 0.1) == 0.2)
  }
}
