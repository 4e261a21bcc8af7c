import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// The objective of `kiln sweep`: trains the experiment with the trial's values applied as
/// `--set` overrides, as a child run of the sweep run, and returns the final value of the
/// sweep's objective metric. At the end of each epoch the metric is reported (step = epoch + 1,
/// the step it is tracked at) and training stops when the sweep's pruner says so.
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

  public func evaluate(_ assignment: TrialAssignment, reporter: any TrialReporter) throws -> Double {
    let configuration = try ExperimentConfiguration.load(file: URL(fileURLWithPath: plan.experimentFile),
                                                         overrides: plan.overrides + assignment.overrides)
    let pruning = SweepPruningCallback(metric: plan.objectiveMetric, reporter: reporter)
    var options = TrainingOptions()
    options.progress = progress
    // A trial's training lines are progress; standard output carries the sweep's own lines and its summary (JSON with --json).
    options.progressToStandardError = true
    options.parentRunID = sweepRunID
    options.commandLine = ["kiln", "sweep", "trial", String(assignment.number)] + assignment.overrides.flatMap { ["--set", $0] }
    options.extraCallbacks = [pruning]
    options.runName = "\(configuration.name)-trial-\(assignment.number)"
    options.tags = ["sweep.trial": String(assignment.number), "sweep.run": sweepRunID]
    let result = try Trainer.train(configuration, layout: layout, options: options)
    try reporter.linkRun(result.runID)
    if pruning.pruned { throw TrialPruned() }
    guard let value = result.finalValidationMetrics[plan.objectiveMetric] ?? pruning.lastValue else {
      throw SweepError("training run \(result.runID) did not track the sweep's objective \(plan.objectiveMetric)",
                       hint: "name a tracked validation metric in sweep.objective.metric, e.g. validation.roc_auc or validation.loss")
    }
    return value
  }
}

/// Reports the objective metric at each epoch's end and stops training when the trial is pruned.
final class SweepPruningCallback: TrainingCallback {
  let metric: String
  let reporter: any TrialReporter
  private(set) var pruned = false
  private(set) var lastValue: Double?

  init(metric: String, reporter: any TrialReporter) {
    self.metric = metric
    self.reporter = reporter
  }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    guard case .epochEnded(let summary) = event, let value = summary.validationMetrics[metric] else { return .proceed }
    lastValue = value
    if try reporter.report(value, step: summary.epoch + 1) {
      pruned = true
      return .stop(reason: "pruned by the sweep at epoch \(summary.epoch + 1)")
    }
    return .proceed
  }
}
