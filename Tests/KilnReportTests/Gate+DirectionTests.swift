import KilnMetrics
@testable import KilnReport
import KilnTracking
import Testing

@Suite struct GateDirectionTests {
  @Test func aNegativeMinDeltaAllowsThatMuchWorseForLowerIsBetterMetrics() {
    let champion = ["test.rmse": MetricEstimate(value: 1.0)]
    let gate = Gate(metric: "test.rmse", threshold: .versusChampion(minDelta: -0.05))
    let evaluator = GateEvaluator()
    let slightlyWorse = evaluator.evaluate(gate, candidate: ["test.rmse": MetricEstimate(value: 1.04)], champion: champion)
    #expect(slightlyWorse.outcome == .pass)
    #expect(abs(slightlyWorse.threshold! - 1.05) < 1e-12 && abs(slightlyWorse.margin! - 0.01) < 1e-12)
    let muchWorse = evaluator.evaluate(gate, candidate: ["test.rmse": MetricEstimate(value: 1.1)], champion: champion)
    #expect(muchWorse.outcome == .fail)
    #expect(muchWorse.reason.contains("lower is better"))
    let better = evaluator.evaluate(Gate(metric: "test.rmse", threshold: .versusChampion(minDelta: 0.1)),
                                    candidate: ["test.rmse": MetricEstimate(value: 0.85)], champion: champion)
    #expect(better.outcome == .pass)
    #expect(gate.summary == "champion − test.rmse ≥ -0.05")
  }

  @Test func relativeChangeOfALowerIsBetterMetricIsTheRelativeImprovement() {
    let champion = ["test.mae": MetricEstimate(value: 2.0)]
    let gate = Gate(metric: "test.mae", threshold: .versusChampionRelative(minRelativeChange: -0.1))
    let evaluator = GateEvaluator()
    #expect(evaluator.evaluate(gate, candidate: ["test.mae": MetricEstimate(value: 2.15)], champion: champion).outcome == .pass)
    #expect(evaluator.evaluate(gate, candidate: ["test.mae": MetricEstimate(value: 2.25)], champion: champion).outcome == .fail)
  }

  @Test func aMetricOutsideTheTableNeedsAnExplicitDirection() {
    let candidate = ["custom.score": MetricEstimate(value: 3)], champion = ["custom.score": MetricEstimate(value: 4)]
    let unstated = GateEvaluator().evaluate(Gate(metric: "custom.score", threshold: .versusChampion(minDelta: 0)),
                                            candidate: candidate, champion: champion)
    #expect(unstated.outcome == .fail)
    #expect(unstated.reason.contains("direction: minimize"), "\(unstated.reason)")
    let stated = Gate(metric: "custom.score", threshold: .versusChampion(minDelta: 0), direction: .minimize)
    #expect(GateEvaluator().evaluate(stated, candidate: candidate, champion: champion).outcome == .pass)
  }

  /// A run's resource metrics are outside the table: a champion gate on one states its direction,
  /// and a fixed bound needs none.
  @Test func aGateOnAResourceMetricIsWrittenWithItsDirection() {
    let metric = ResourceUsage.Key.peakResidentBytes.rawValue
    let candidate = [metric: MetricEstimate(value: 90e6)], champion = [metric: MetricEstimate(value: 100e6)]
    let unstated = GateEvaluator().evaluate(Gate(metric: metric, threshold: .versusChampion(minDelta: 0)),
                                            candidate: candidate, champion: champion)
    #expect(unstated.outcome == .fail)
    let stated = Gate(metric: metric, threshold: .versusChampion(minDelta: 0), direction: .minimize)
    #expect(GateEvaluator().evaluate(stated, candidate: candidate, champion: champion).outcome == .pass)
    let bounded = Gate(metric: metric, threshold: .atMost(80e6))
    #expect(GateEvaluator().evaluate(bounded, candidate: candidate, champion: [:]).outcome == .fail)
  }
}
