import Foundation
import KilnMetrics
import KilnReport
import Testing
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline

@Suite struct PromotionWorkflowTests {
  @Test func decideAppliesTheGatesToAnyMetricSource() {
    let gates = [Gate(metric: "test.accuracy", threshold: .atLeast(0.8), bound: .ciLower)]
    let interval = ConfidenceInterval(lower: 0.79, upper: 0.9, level: 0.95, resamples: 100, undefinedResamples: 0)
    #expect(PromotionWorkflow.decide(run: ["test.accuracy": MetricEstimate(value: 0.85, interval: interval)], gates: gates, champion: nil).verdict == .reject)
    #expect(PromotionWorkflow.decide(run: ["test.accuracy": MetricEstimate(value: 0.85)], gates: gates, champion: nil).verdict == .reject)
    let narrow = ConfidenceInterval(lower: 0.81, upper: 0.9, level: 0.95, resamples: 100, undefinedResamples: 0)
    #expect(PromotionWorkflow.decide(run: ["test.accuracy": MetricEstimate(value: 0.85, interval: narrow)], gates: gates, champion: nil).verdict == .promote)
  }
}
