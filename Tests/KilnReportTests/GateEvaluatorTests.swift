import KilnMetrics
import KilnReport
import Testing

private func estimate(_ value: Double, _ lower: Double? = nil, _ upper: Double? = nil) -> MetricEstimate {
  let interval = lower.map { ConfidenceInterval(lower: $0, upper: upper!, level: 0.95, resamples: 1000, undefinedResamples: 0) }
  return MetricEstimate(value: value, interval: interval)
}

private let candidate: [String: MetricEstimate] = [
  "test.accuracy": estimate(0.85, 0.84, 0.86),
  "test.roc_auc": estimate(0.90),
  "fairness.sex.demographic_parity_difference": estimate(0.08, 0.06, 0.11),
  "fairness.sex.groups.Female.selection_rate": estimate(0.10),
  "fairness.sex.groups.Male.selection_rate": estimate(0.30),
  "fairness.race.groups.Other.true_positive_rate": MetricEstimate(value: 0, undefined: .noPositiveLabels),
  "test.log_loss": estimate(.nan),
]

@Suite struct GateEvaluatorTests {
  let evaluator = GateEvaluator()

  @Test func minimumAndMaximumGatesCompareThePointEstimate() {
    let pass = evaluator.evaluate(Gate(metric: "test.accuracy", threshold: .atLeast(0.84)), candidate: candidate, champion: nil)
    #expect(pass.outcome == .pass)
    #expect(abs(pass.margin! - 0.01) < 1e-12)
    let fail = evaluator.evaluate(Gate(metric: "test.accuracy", threshold: .atMost(0.80)), candidate: candidate, champion: nil)
    #expect(fail.outcome == .fail)
    #expect(abs(fail.margin! + 0.05) < 1e-12)
  }

  @Test func confidenceBoundsAreComparedWhenAsked() {
    // The point estimate 0.08 meets max 0.10, the upper bound 0.11 does not.
    let pointGate = Gate(metric: "fairness.sex.demographic_parity_difference", threshold: .atMost(0.10))
    #expect(evaluator.evaluate(pointGate, candidate: candidate, champion: nil).outcome == .pass)
    var upperGate = pointGate
    upperGate.bound = .ciUpper
    let result = evaluator.evaluate(upperGate, candidate: candidate, champion: nil)
    #expect(result.outcome == .fail)
    #expect(result.observed == 0.11)
    var lowerGate = Gate(metric: "test.roc_auc", threshold: .atLeast(0.5))
    lowerGate.bound = .ciLower
    let missingInterval = evaluator.evaluate(lowerGate, candidate: candidate, champion: nil)
    #expect(missingInterval.outcome == .fail)
    #expect(missingInterval.reason.contains("no ci_lower"))
  }

  @Test func gatesFailClosedOnMissingNaNAndUndefinedMetrics() {
    let missing = evaluator.evaluate(Gate(metric: "test.acuracy", threshold: .atLeast(0.5)), candidate: candidate, champion: nil)
    #expect(missing.outcome == .fail)
    #expect(missing.reason.contains("no metric named `test.acuracy`"))
    #expect(missing.reason.contains("test.accuracy"))
    let nan = evaluator.evaluate(Gate(metric: "test.log_loss", threshold: .atMost(1)), candidate: candidate, champion: nil)
    #expect(nan.outcome == .fail)
    #expect(nan.reason.contains("NaN"))
    let undefined = evaluator.evaluate(Gate(metric: "fairness.race.groups.Other.true_positive_rate", threshold: .atLeast(0)),
                                       candidate: candidate, champion: nil)
    #expect(undefined.outcome == .fail)
    #expect(undefined.reason.contains("no rows with label 1"))
  }

  @Test func aWildcardGateHoldsOnlyForItsWorstGroup() {
    let gate = Gate(metric: "fairness.sex.groups.*.selection_rate", threshold: .atLeast(0.2))
    let result = evaluator.evaluate(gate, candidate: candidate, champion: nil)
    #expect(result.outcome == .fail)
    #expect(result.metric == "fairness.sex.groups.Female.selection_rate")
    let none = evaluator.evaluate(Gate(metric: "fairness.age.groups.*.selection_rate", threshold: .atLeast(0)), candidate: candidate, champion: nil)
    #expect(none.outcome == .fail)
  }

  @Test func championGatesCompareDeltasAndPassForTheFirstModel() {
    let gate = Gate(metric: "test.roc_auc", threshold: .versusChampion(minDelta: -0.005))
    let first = evaluator.evaluate(gate, candidate: candidate, champion: nil)
    #expect(first.outcome == .pass)
    #expect(first.reason.contains("no champion"))
    let slightlyWorse = evaluator.evaluate(gate, candidate: candidate, champion: ["test.roc_auc": estimate(0.904)])
    #expect(slightlyWorse.outcome == .pass)
    let muchWorse = evaluator.evaluate(gate, candidate: candidate, champion: ["test.roc_auc": estimate(0.91)])
    #expect(muchWorse.outcome == .fail)
    #expect(abs(muchWorse.threshold! - 0.905) < 1e-12)
    let championLacksIt = evaluator.evaluate(gate, candidate: candidate, champion: ["test.accuracy": estimate(0.9)])
    #expect(championLacksIt.outcome == .fail)

    let relative = Gate(metric: "test.roc_auc", threshold: .versusChampionRelative(minRelativeChange: 0.01))
    #expect(evaluator.evaluate(relative, candidate: candidate, champion: ["test.roc_auc": estimate(0.89)]).outcome == .pass)
    #expect(evaluator.evaluate(relative, candidate: candidate, champion: ["test.roc_auc": estimate(0.895)]).outcome == .fail)
  }

  @Test func warningGatesDoNotBlockPromotion() {
    let gates = [
      Gate(metric: "test.accuracy", threshold: .atLeast(0.8)),
      Gate(metric: "test.roc_auc", threshold: .atLeast(0.95), severity: .warn),
    ]
    let decision = evaluator.decide(gates: gates, candidate: candidate, champion: nil)
    #expect(decision.verdict == .promote)
    #expect(decision.warnings.count == 1)
    let blocking = evaluator.decide(gates: gates + [Gate(metric: "nope", threshold: .atLeast(0))], candidate: candidate, champion: nil)
    #expect(blocking.verdict == .reject)
  }
}

@Suite struct GateMetricCheckTests {
  @Test func aGateMatchingNoNameIsExplainedWithItsFamilyAndAMatchingOneIsNot() {
    let evaluator = GateEvaluator(), names = Set(candidate.keys)
    #expect(evaluator.unmatchedReason(Gate(metric: "test.accuracy", threshold: .atLeast(0.8)), among: names) == nil)
    #expect(evaluator.unmatchedReason(Gate(metric: "fairness.sex.groups.*.selection_rate", threshold: .atLeast(0)), among: names) == nil)
    let reason = evaluator.unmatchedReason(Gate(metric: "test.acuracy", threshold: .atLeast(0.8)), among: names)
    #expect(reason?.hasPrefix("no metric named `test.acuracy` is computed; available: ") == true, "\(reason ?? "nil")")
    #expect(reason?.contains("test.accuracy") == true)
    #expect(evaluator.unmatchedReason(Gate(metric: "fairness.*.groups.x.y", threshold: .atLeast(0)), among: names) != nil)
  }
}
