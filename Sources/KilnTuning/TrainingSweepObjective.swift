import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// The objective of `kiln sweep`: trains the experiment with the trial's values applied as
/// `--set` overrides, as a child run of the sweep run, and returns the final value of each of the
/// sweep's objective metrics. At the end of each epoch the objective metrics are reported (step =
/// epoch + 1, the step they are tracked at) and training stops when the sweep's pruner says so.
/// A complete trial's model is then evaluated on the validation split for the experiment's gates
/// (`ValidationGates`), so gate-aware selection can judge it without the test split.
public final class TrainingSweepObjective: SweepObjective {
  public let plan: SweepPlan
  public let layout: ProjectLayout
  public let sweepRunID: String
  public let progress: ProgressReporter.Mode

  /// The objective of `session`'s trials.
  public convenience init(session: SweepSession, progress: ProgressReporter.Mode = .quiet) {
    self.init(plan: session.plan, layout: session.layout, sweepRunID: session.sweepRunID, progress: progress)
  }

  /// The objective from the plan alone (MPI worker ranks, which do not read the trial store).
  public init(plan: SweepPlan, layout: ProjectLayout, sweepRunID: String, progress: ProgressReporter.Mode = .quiet) {
    self.plan = plan
    self.layout = layout
    self.sweepRunID = sweepRunID
    self.progress = progress
  }

  public func evaluate(_ assignment: TrialAssignment, reporter: any TrialReporter) throws -> [Double] {
    let configuration = try ExperimentConfiguration.load(file: URL(fileURLWithPath: plan.experimentFile),
                                                         overrides: plan.overrides + assignment.overrides)
    let pruning = SweepPruningCallback(metrics: plan.objectives.map(\.metric), reporter: reporter)
    var options = TrainingOptions()
    options.progress = progress
    // A trial's training lines are progress; standard output carries the sweep's own lines and its summary (JSON with --json).
    options.progressToStandardError = true
    options.parentRunID = sweepRunID
    options.commandLine = ["kiln", "sweep", "trial", String(assignment.number)] + assignment.overrides.flatMap { ["--set", $0] }
    options.extraCallbacks = [pruning]
    options.validationMetrics = plan.objectives.map(\.metric)
    options.runName = "\(configuration.name)-trial-\(assignment.number)"
    options.tags = ["sweep.trial": String(assignment.number), "sweep.run": sweepRunID]
    let result = try Trainer.train(configuration, layout: layout, options: options)
    try reporter.linkRun(result.runID)
    if pruning.pruned { throw TrialPruned() }
    try ValidationGates.measure(configuration, checkpoint: result.checkpoint, runID: result.runID, layout: layout)
    return try plan.objectives.enumerated().map { index, objective in
      guard let value = result.finalValidationMetrics[objective.metric] ?? pruning.lastValues?[index] else {
        throw SweepError("training run \(result.runID) did not track the sweep's objective \(objective.metric)",
                         hint: "name a tracked validation metric in sweep.objective.metric, e.g. validation.roc_auc or validation.loss")
      }
      return value
    }
  }
}

/// Reports the objective metrics at each epoch's end (all of them, once each is tracked) and stops
/// training when the trial is pruned.
final class SweepPruningCallback: TrainingCallback {
  let metrics: [String]
  let reporter: any TrialReporter
  private(set) var pruned = false
  /// The values last reported, one per objective.
  private(set) var lastValues: [Double]?

  init(metrics: [String], reporter: any TrialReporter) {
    self.metrics = metrics
    self.reporter = reporter
  }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    guard case .epochEnded(let summary) = event else { return .proceed }
    let values = metrics.compactMap { summary.validationMetrics[$0] }
    guard values.count == metrics.count else { return .proceed }
    lastValues = values
    if try reporter.report(values, step: summary.epoch + 1) {
      pruned = true
      return .stop(reason: "pruned by the sweep at epoch \(summary.epoch + 1)")
    }
    return .proceed
  }
}
