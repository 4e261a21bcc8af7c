import Foundation
import KilnMetrics
import KilnReport
import Testing
import KilnWorkflows

@Suite struct PromotionWorkflowTests {
  @Test func decideAppliesTheGatesToAnyMetricSource() {
    let gates = [Gate(metric: "test.accuracy", threshold: .atLeast(0.8), bound: .ciLower)]
    let interval = ConfidenceInterval(lower: 0.79, upper: 0.9, level: 0.95, resamples: 100, undefinedResamples: 0)
    #expect(PromotionWorkflow.decide(run: ["test.accuracy": MetricEstimate(value: 0.85, interval: interval)], gates: gates, champion: nil).verdict == .reject)
    #expect(PromotionWorkflow.decide(run: ["test.accuracy": MetricEstimate(value: 0.85)], gates: gates, champion: nil).verdict == .reject)
  }

  @Test func splitScoreMetricsBorrowTheAuditsIntervalOnlyForTheSameValue() {
    let interval = ConfidenceInterval(lower: 0.88, upper: 0.92, level: 0.95, resamples: 100, undefinedResamples: 0)
    let metrics = PromotionWorkflow.withSplitIntervals([
      "test.roc_auc": MetricEstimate(value: 0.9), "fairness.sex.overall.roc_auc": MetricEstimate(value: 0.9, interval: interval),
      "test.pr_auc": MetricEstimate(value: 0.7), "fairness.sex.overall.pr_auc": MetricEstimate(value: 0.6, interval: interval),
    ])
    #expect(metrics["test.roc_auc"]?.interval == interval)
    #expect(metrics["test.pr_auc"]?.interval == nil)
  }
}
