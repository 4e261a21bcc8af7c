import Foundation
import KilnReport
import KilnSweep
import KilnTracking
import KilnConfiguration
import KilnTraining

/// `kiln sweep`: starts or resumes a sweep of an experiment file and runs it to the end with
/// local workers (this process, or worker processes sharing the project's store).
public enum SweepWorkflow {
  /// Starts a sweep of `experimentFile`'s `sweep:` block.
  /// - Parameters:
  ///   - overrides: `--set` overrides applied to the experiment before each trial's own values.
  ///   - trials: replaces the block's trial count.
  ///   - batchSize: trials per sampling generation; results do not depend on the worker count
  ///     for a given batch size.
  /// - Throws: `ConfigurationError` for a bad experiment file, `SweepError` for a bad sweep block.
  public static func start(experimentFile: URL, overrides: [String], trials: Int?, batchSize: Int,
                           layout: ProjectLayout, commandLine: [String]) throws -> SweepSession {
    let configuration = try ExperimentConfiguration.load(file: experimentFile, overrides: overrides)
    let plan = try SweepPlan(configuration: configuration, experimentFile: experimentFile, overrides: overrides,
                             trials: trials, batchSize: batchSize)
    _ = try plan.makeSampler()  // a grid over a continuous range fails here, before any run exists
    try checkObjective(plan, configuration: configuration, layout: layout)
    for dimension in try plan.searchSpace().dimensions {
      try checkOverridable(dimension, configuration: configuration, plan: plan)
    }
    return try SweepSession.start(
      plan: plan, experiment: configuration.name,
      configuration: RunConfiguration(text: configuration.canonicalJSON(), parameters: configuration.flattenedParameters()),
      layout: layout, commandLine: commandLine)
  }

  /// Runs `session` until every planned trial has finished, then ends its run.
  /// - Parameters:
  ///   - parallel: 1 runs trials in this process with `objective`; more starts that many worker
  ///     processes from `workerArguments`.
  ///   - progress: receives one line per finished trial.
  public static func run(_ session: SweepSession, parallel: Int, objective: @autoclosure () throws -> any SweepObjective,
                         workerArguments: [String], progress: ((String) -> Void)? = nil) throws {
    let coordinator = try session.coordinator()
    if let progress {
      let metrics = session.plan.objectives.map(\.metric)
      coordinator.onTrialFinished = { trial in
        var line = "trial \(trial.number) \(trial.state.rawValue)"
        for (metric, value) in zip(metrics, trial.values ?? []) { line += "  \(metric) = \(RunFormatting.number(value))" }
        line += "  " + SweepSpace.overrides(trial.parameters).joined(separator: " ")
        if let error = trial.error { line += "  error: \(error.prefix(120))" }
        progress(line)
      }
    }
    if parallel <= 1 {
      try SweepRunner.run(coordinator, workers: .threads(1, objective: try objective()))
    } else {
      try SweepRunner.run(coordinator, workers: .processes(parallel, arguments: workerArguments))
    }
    try session.finish()
  }

  /// Fails before the first trial when a sweep key is not a configuration key: the lower bound
  /// (or first choice) is applied as an override and the experiment decoded.
  static func checkOverridable(_ dimension: SweepSpace.Dimension, configuration: ExperimentConfiguration,
                               plan: SweepPlan) throws {
    let probe: ParameterValue
    switch dimension.distribution {
    case .float(let low, _, _, _): probe = .float(low)
    case .integer(let low, _, _, _): probe = .integer(low)
    case .categorical(let choices): probe = choices[0]
    }
    do {
      _ = try ExperimentConfiguration.load(file: URL(fileURLWithPath: plan.experimentFile),
                                           overrides: plan.overrides + SweepSpace.overrides([dimension.key: probe]))
    } catch {
      throw SweepError("sweep.space.\(dimension.key) cannot be applied to the experiment: \(error)",
                       hint: "space keys are dotted configuration keys, as given to --set (e.g. training.optimizer.lr)")
    }
  }
}
