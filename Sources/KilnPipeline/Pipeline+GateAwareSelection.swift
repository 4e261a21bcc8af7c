import Foundation
import KilnMetrics
import KilnReport
import KilnSweep
import KilnTracking
import KilnPromotion
import KilnTuning

extension Pipeline {
  /// Gate-aware selection: among the sweep's Pareto front, ordered best first on the first
  /// objective, the first point whose stored validation metrics (`ValidationGates`) pass every
  /// blocking gate judged on validation. The test split is left for the final gates.
  /// - Throws: `PromotionError.gatesFailed` (a rejection, exit status 3) when no point passes,
  ///   naming for each gate the point nearest to passing it.
  /// Logs why: one line per point checked (which gates it failed), then the choice.
  /// - Returns: the trial, and the better points passed over with the gates each failed.
  static func gateAwareChoice(_ summary: SweepSummary, gates: [Gate], tracker: Tracker,
                              log: (String) -> Void) throws -> (TrialRecord, [SweepChoice.Rejected]) {
    let plan = summary.session.plan
    let direction = plan.direction
    let front = summary.paretoFront.sorted { lhs, rhs in
      let (left, right) = (lhs.values?.first ?? .nan, rhs.values?.first ?? .nan)
      return left == right ? lhs.number < rhs.number : direction.isBetter(left, than: right)
    }
    let runs = Dictionary(summary.rows.compactMap { row in row.runID.map { (row.number, $0) } }) { first, _ in first }
    let judged = gates.map(ValidationGates.validationGate)
    let evaluator = GateEvaluator()
    log("sweep: gate-aware selection among the \(front.count) points of sweep \(summary.run.id)'s Pareto front, "
                       + "best first on \(plan.objectiveMetric); gates judged on the validation split (point values)")
    var decisions: [(trial: TrialRecord, decision: GateDecision)] = []
    for trial in front {
      let stored = try runs[trial.number].flatMap { try ValidationGates.stored(runID: $0, tracker: tracker) } ?? [:]
      let decision = evaluator.decide(gates: judged, candidate: stored, champion: nil)
      if decision.verdict == .promote {
        log("sweep: trial \(trial.number) passes every gate on validation (\(objectiveWords(trial, plan: plan)))")
        return (trial, decisions.map { SweepChoice.Rejected(trial: $0.trial.number, failedGates: $0.decision.results.filter(\.blocks).map(\.gate.summary)) })
      }
      let failures = decision.results.filter(\.blocks).map { "`\($0.gate.summary)`: \($0.reason)" }
      log("sweep: trial \(trial.number) (\(objectiveWords(trial, plan: plan))) fails " + failures.joined(separator: "; "))
      decisions.append((trial, decision))
    }
    var nearest: [String] = []
    for (index, gate) in judged.enumerated() where gate.severity == .block {
      let closest = decisions.max { ($0.decision.results[index].margin ?? -.infinity) < ($1.decision.results[index].margin ?? -.infinity) }
      guard let closest else { continue }
      let result = closest.decision.results[index]
      let observed = result.observed.map { RunFormatting.number($0) } ?? "none"
      nearest.append("`\(gate.summary)`: nearest is trial \(closest.trial.number) (observed \(observed))")
    }
    throw PromotionError(.gatesFailed,
                         "no point of sweep \(summary.run.id)'s Pareto front (\(front.count) points) passes every gate on validation; "
                         + (nearest.isEmpty ? "the sweep has no complete trial" : nearest.joined(separator: "; ")),
                         hint: "run more trials or widen the sweep's space (a mitigation parameter, for example), or revisit the gates")
  }

  /// `validation.roc_auc = 0.91, validation.fairness.sex.equalized_odds_difference = 0.05`.
  private static func objectiveWords(_ trial: TrialRecord, plan: SweepPlan) -> String {
    zip(plan.objectives, trial.values ?? []).map { "\($0.metric) = \(RunFormatting.number($1))" }.joined(separator: ", ")
  }
}
