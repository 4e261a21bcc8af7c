import KilnMetricDirection
import Foundation
import KilnSweep
import KilnConfiguration
import KilnTraining

/// Everything that fixes a sweep, stored as JSON in its run's `sweep.plan` tag so that workers
/// and `kiln sweep --resume` rebuild exactly the same study.
public struct SweepPlan: Codable, Sendable, Equatable {
  /// The experiment file, absolute.
  public var experimentFile: String
  /// The `--set` overrides given to the sweep, applied before each trial's own.
  public var overrides: [String]
  /// How many trials the sweep runs in all.
  public var trials: Int
  /// Trials are sampled in generations of this size from a fixed history
  /// (`Study.Synchronization.batches(of:)`), so results do not depend on the worker count.
  public var batchSize: Int
  public var seed: UInt64
  /// The tracked metric the trials optimise, e.g. `validation.roc_auc`.
  public var objectiveMetric: String
  public var direction: MetricDirection
  public var sampler: SweepConfiguration.Sampler
  public var pruner: SweepConfiguration.Pruner?
  public var space: [String: SearchDistribution]
  /// A running trial whose heartbeat is older than this many seconds is taken from its worker.
  public var leaseTimeout: TimeInterval
  /// How often a worker renews its lease.
  public var heartbeatInterval: TimeInterval
  /// How many times a trial is restarted after its worker died before it is marked failed.
  public var maximumRestarts: Int
  /// Whether the trial storage starts each trial's run (objectives that track nothing), or the
  /// objective does (training runs with the sweep run as parent).
  public var createsTrialRuns: Bool

  public init(experimentFile: String, overrides: [String] = [], trials: Int, batchSize: Int = 4, seed: UInt64,
              objectiveMetric: String, direction: MetricDirection, sampler: SweepConfiguration.Sampler,
              pruner: SweepConfiguration.Pruner? = nil, space: [String: SearchDistribution],
              leaseTimeout: TimeInterval = 60, heartbeatInterval: TimeInterval = 5, maximumRestarts: Int = 2,
              createsTrialRuns: Bool = true) {
    precondition(trials >= 0, "SweepPlan: trial count \(trials) must not be negative")
    precondition(batchSize >= 1, "SweepPlan: batch size \(batchSize) must be at least 1")
    self.experimentFile = experimentFile
    self.overrides = overrides
    self.trials = trials
    self.batchSize = batchSize
    self.seed = seed
    self.objectiveMetric = objectiveMetric
    self.direction = direction
    self.sampler = sampler
    self.pruner = pruner
    self.space = space
    self.leaseTimeout = leaseTimeout
    self.heartbeatInterval = heartbeatInterval
    self.maximumRestarts = maximumRestarts
    self.createsTrialRuns = createsTrialRuns
  }

  /// The plan of an experiment's `sweep:` block; `trials` overrides the block's count.
  /// - Throws: `SweepError` when the experiment has no `sweep:` block.
  public init(configuration: ExperimentConfiguration, experimentFile: URL, overrides: [String],
              trials: Int? = nil, batchSize: Int = 4) throws {
    guard let sweep = configuration.sweep else {
      throw SweepError("\(experimentFile.path) has no sweep: block",
                       hint: "add `sweep: {objective: {metric: validation.roc_auc, direction: maximize}, sampler: tpe, trials: 20, space: {...}}`")
    }
    self.init(experimentFile: experimentFile.standardizedFileURL.path, overrides: overrides,
              trials: trials ?? sweep.trials, batchSize: batchSize, seed: configuration.training.seed,
              objectiveMetric: sweep.objective.metric,
              direction: sweep.objective.direction,
              sampler: sweep.sampler, pruner: sweep.pruner, space: sweep.space, createsTrialRuns: false)
  }

  public func searchSpace() throws -> SweepSpace { try SweepSpace(space) }

  /// The sampler the plan names.
  public func makeSampler() throws -> any Sampler {
    switch sampler {
    case .tpe: return TPESampler()
    case .random: return RandomSampler()
    case .qmc: return SobolSampler()
    case .grid: return GridSampler(space: try searchSpace().gridValues())
    }
  }

  /// The pruner the plan names (none when there is no `pruner:`), with Optuna-like defaults.
  public func makePruner() -> any Pruner {
    guard let pruner else { return NoPruner() }
    switch pruner.kind {
    case .none: return NoPruner()
    case .median:
      return MedianPruner(startupTrials: pruner.startupTrials ?? 5, warmupSteps: pruner.warmupSteps ?? 0)
    case .asha:
      return SuccessiveHalvingPruner(minimumResource: pruner.minResource ?? 1,
                                     reductionFactor: pruner.reductionFactor ?? 4)
    }
  }

  /// The study over `storage`, synchronised in batches of `batchSize`.
  public func makeStudy(storage: any TrialStorage, name: String) throws -> Study {
    Study(name: name, direction: direction, sampler: try makeSampler(), pruner: makePruner(), storage: storage,
          seed: seed, synchronization: .batches(of: batchSize))
  }

  /// The number of trials the sweep runs: `trials`, or fewer when a grid is smaller.
  public func trialTarget() throws -> Int {
    guard let limit = try makeSampler().trialLimit else { return trials }
    return min(trials, limit)
  }

  public var json: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try! encoder.encode(self), as: UTF8.self)
  }

  public init(json: String) throws {
    do {
      self = try JSONDecoder().decode(SweepPlan.self, from: Data(json.utf8))
    } catch {
      throw SweepError("the sweep's stored plan cannot be read: \(error)",
                       hint: "the run may not be a sweep, or was made by another Kiln version")
    }
  }
}
