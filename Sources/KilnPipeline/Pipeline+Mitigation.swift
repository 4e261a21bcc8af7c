import KilnDistributed
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion

extension Pipeline {
  /// With `mitigation.reweighing` or `mitigation.reductions`, the model before mitigation is
  /// another model: the same experiment and seed without the `mitigation:` block, trained and
  /// evaluated as a child run of the mitigated one (tagged both ways), so the card can show before
  /// and after. Nil otherwise (group thresholds alone compare within one model, in its evaluation).
  static func unmitigatedComparison(_ configuration: ExperimentConfiguration, mitigated: TrainingResult, result: EvaluationResult,
                                    options: TrainingOptions, layout: ProjectLayout,
                                    log: (String) -> Void) throws -> ModelCardInput.Mitigation? {
    guard let mitigation = configuration.mitigation, mitigation.reweighing != nil || mitigation.reductions != nil else { return nil }
    var baseline = configuration
    baseline.mitigation = nil
    var options = options
    options.parentRunID = mitigated.runID
    options.runName = "\(configuration.name)-unmitigated"
    options.tags["mitigation.baseline_of"] = mitigated.runID
    let training = try Trainer.train(baseline, layout: layout, communicator: LocalCommunicator(), options: options)
    let before = try EvaluationWorkflow.evaluate(runID: training.runID, layout: layout)
    try Tracker(layout: layout).store.setTag(runID: mitigated.runID, key: "mitigation.baseline_run", value: training.runID)
    log("mitigation: the unmitigated baseline (same seed) is run \(training.runID)")
    // What the experiment's gates would say of the baseline, so the card shows what mitigation bought.
    let baselineGates = GateEvaluator().decide(gates: configuration.gates ?? [], candidate: before.namedMetrics, champion: nil)
    let failed = baselineGates.results.filter(\.blocks).map { "`\($0.gate.summary)`: \($0.reason)" }
    let verdict = failed.isEmpty ? "the gates would promote it" : "the gates would reject it (" + failed.joined(separator: "; ") + ")"
    if !(configuration.gates ?? []).isEmpty { log("mitigation: on the baseline, \(verdict)") }
    var names: [String] = []
    if let reweighing = mitigation.reweighing { names.append("reweighing by \(reweighing.sensitive.joined(separator: "&"))") }
    if let reductions = mitigation.reductions {
      names.append("\(reductions.method.rawValue) under \(reductions.constraint.rawValue) by \(reductions.sensitive.joined(separator: "&"))"
                   + " (predictor: \((reductions.predictor ?? .mixture).rawValue))")
    }
    if let thresholds = mitigation.thresholds {
      names.append("group thresholds for \(thresholds.sensitive.joined(separator: "&")) under \(thresholds.constraint.rawValue)")
    }
    let gated = (configuration.gates ?? []).isEmpty ? "" : "; before, \(verdict)"
    return result.cardMitigation(summary: names.joined(separator: " and ") + " (before: run \(training.runID)\(gated))",
                                 grouping: (mitigation.thresholds?.sensitive ?? mitigation.reweighing?.sensitive
                                            ?? mitigation.reductions?.sensitive ?? []).joined(separator: "&"),
                                 measure: mitigation.thresholds?.constraint.measure ?? mitigation.reductions?.constraint.fairnessConstraint?.measure
                                   ?? .demographicParityDifference,
                                 beforeMetrics: before.namedMetrics, beforeFairness: before.fairness)
  }
}
