import KilnMetricDirection
import Foundation

/// Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel
/// Hyperparameter Tuning", MLSys 2020, arXiv:1810.05934), with Optuna's semantics.
///
/// Rung k sits at step rₖ = minimumResource · η^(minimumEarlyStoppingRate + k), η the reduction
/// factor. When a trial first reports a step ≥ rₖ, its value there is its rung-k value; it goes
/// on only if that value is among the best ⌊m/η⌋ of the m rung-k values of all trials that
/// reached the rung (itself included) — or, while m < η, if it is the best of them. Otherwise it
/// is pruned. A NaN value at a rung is pruned.
///
/// No rung state is stored: a trial's rung-k value is read back as its value at its first
/// reported step ≥ rₖ, and a trial is judged only at rungs its latest report has just reached,
/// so records in any `TrialStorage` suffice.
///
/// **Several objectives** (which Optuna does not prune): a trial reports every objective
/// (`Trial.report(values:step:)`), and at each rung it goes on only if it is among the
/// ⌊m/η⌋ best of the m rung vectors by NSGA-II's order — non-domination rank, then crowding
/// distance within the last front it reaches (`Pareto.select`; the trial itself wins ties). A
/// vector with a NaN is pruned.
public struct SuccessiveHalvingPruner: Pruner {
  public let minimumResource: Int
  public let reductionFactor: Int
  public let minimumEarlyStoppingRate: Int

  public init(minimumResource: Int = 1, reductionFactor: Int = 4, minimumEarlyStoppingRate: Int = 0) {
    precondition(minimumResource >= 1, "SuccessiveHalvingPruner: minimumResource \(minimumResource) must be at least 1")
    precondition(reductionFactor >= 2, "SuccessiveHalvingPruner: reductionFactor \(reductionFactor) must be at least 2")
    precondition(minimumEarlyStoppingRate >= 0,
                 "SuccessiveHalvingPruner: minimumEarlyStoppingRate \(minimumEarlyStoppingRate) must not be negative")
    self.minimumResource = minimumResource
    self.reductionFactor = reductionFactor
    self.minimumEarlyStoppingRate = minimumEarlyStoppingRate
  }

  /// The step of rung `rung`.
  public func rungStep(_ rung: Int) -> Int {
    var step = minimumResource
    for _ in 0..<(minimumEarlyStoppingRate + rung) { step *= reductionFactor }
    return step
  }

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], direction: MetricDirection) -> Bool {
    prunedAtNewRung(trial.intermediateValues) { value, rung in
      if value.isNaN { return true }
      let competitors = others.compactMap { Self.report(in: $0.intermediateValues, atOrAfter: rungStep(rung)) } + [value]
      return !isPromotable(value, competitors: competitors, direction: direction)
    }
  }

  public var handlesMultipleObjectives: Bool { true }

  public func shouldPrune(_ trial: TrialRecord, others: [TrialRecord], directions: [MetricDirection]) -> Bool {
    guard directions.count > 1 else { return shouldPrune(trial, others: others, direction: directions[0]) }
    return prunedAtNewRung(trial.intermediateObjectives) { values, rung in
      if values.contains(where: \.isNaN) || values.count != directions.count { return true }
      let competitors = [values] + others.compactMap { Self.report(in: $0.intermediateObjectives, atOrAfter: rungStep(rung)) }
        .filter { $0.count == directions.count }
      let promotedCount = max(competitors.count / reductionFactor, 1)
      guard competitors.count > promotedCount else { return false }
      return !Pareto.select(promotedCount, from: competitors, directions: directions).contains(0)
    }
  }

  /// Whether `isBehind(latest report, rung)` holds at a rung the trial's latest report has just
  /// reached; rungs reached at an earlier report were judged then.
  private func prunedAtNewRung<Report>(_ reports: [Int: Report], _ isBehind: (Report, Int) -> Bool) -> Bool {
    let steps = reports.keys.sorted()
    guard let step = steps.last, let latest = reports[step] else { return false }
    let previousStep = steps.count > 1 ? steps[steps.count - 2] : Int.min
    var rung = 0
    while rungStep(rung) <= step {
      defer { rung += 1 }
      guard rungStep(rung) > previousStep else { continue }
      if isBehind(latest, rung) { return true }
    }
    return false
  }

  /// A trial's report at its first reported step at or after `target` (its rung value).
  static func report<Report>(in reports: [Int: Report], atOrAfter target: Int) -> Report? {
    reports.keys.filter { $0 >= target }.min().flatMap { reports[$0] }
  }

  /// Whether `value` is among the best ⌊m/η⌋ of the m `competitors` (the best one while m < η).
  func isPromotable(_ value: Double, competitors: [Double], direction: MetricDirection) -> Bool {
    let promotedCount = max(competitors.count / reductionFactor, 1)
    let ordered = competitors.filter { !$0.isNaN }.sorted { direction.isBetter($0, than: $1) }
    guard ordered.count >= promotedCount else { return true }
    let threshold = ordered[promotedCount - 1]
    return !direction.isBetter(threshold, than: value)
  }
}
