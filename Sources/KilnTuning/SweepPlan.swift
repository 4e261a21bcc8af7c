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
  /// (`Study.Synchronization.batches(of:)`), so results do not depend on the worker count; for
  /// NSGA-II it is the population size.
  public var batchSize: Int
  public var seed: UInt64
  /// The tracked metrics the trials optimise, e.g. `validation.roc_auc`, each with its direction.
  public var objectives: [SweepConfiguration.Objective]
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
              objectives: [SweepConfiguration.Objective], sampler: SweepConfiguration.Sampler,
              pruner: SweepConfiguration.Pruner? = nil, space: [String: SearchDistribution],
              leaseTimeout: TimeInterval = 60, heartbeatInterval: TimeInterval = 5, maximumRestarts: Int = 2,
              createsTrialRuns: Bool = true) {
    precondition(trials >= 0, "SweepPlan: trial count \(trials) must not be negative")
    precondition(batchSize >= 1, "SweepPlan: batch size \(batchSize) must be at least 1")
    precondition(!objectives.isEmpty, "SweepPlan: a sweep needs an objective")
    self.experimentFile = experimentFile
    self.overrides = overrides
    self.trials = trials
    self.batchSize = batchSize
    self.seed = seed
    self.objectives = objectives
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
    // NSGA-II's generations are its populations: the batch is the population.
    let generation = sweep.sampler == .nsga2 ? sweep.populationSize ?? NSGAIISampler.Configuration().populationSize : batchSize
    self.init(experimentFile: experimentFile.standardizedFileURL.path, overrides: overrides,
              trials: trials ?? sweep.trials, batchSize: generation, seed: configuration.training.seed,
              objectives: sweep.allObjectives, sampler: sweep.sampler, pruner: sweep.pruner, space: sweep.space,
              createsTrialRuns: false)
  }

  /// The first objective's metric: the one pruners read and the pipeline's choice is best on.
  public var objectiveMetric: String { objectives[0].metric }
  /// The first objective's direction.
  public var direction: MetricDirection { objectives[0].direction }
  /// One direction per objective.
  public var directions: [MetricDirection] { objectives.map(\.direction) }

  public func searchSpace() throws -> SweepSpace { try SweepSpace(space) }

  /// The sampler the plan names.
  public func makeSampler() throws -> any Sampler {
    switch sampler {
    case .tpe: return TPESampler()
    case .random: return RandomSampler()
    case .qmc: return SobolSampler()
    case .grid: return GridSampler(space: try searchSpace().gridValues())
    case .nsga2: return NSGAIISampler(NSGAIISampler.Configuration(populationSize: max(batchSize, 2)))
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
    Study(name: name, directions: directions, sampler: try makeSampler(), pruner: makePruner(), storage: storage,
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

  enum CodingKeys: String, CodingKey {
    case experimentFile, overrides, trials, batchSize, seed, objectives, sampler, pruner, space, leaseTimeout,
         heartbeatInterval, maximumRestarts, createsTrialRuns
    // Plans stored before sweeps had several objectives.
    case objectiveMetric, direction
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    experimentFile = try container.decode(String.self, forKey: .experimentFile)
    overrides = try container.decode([String].self, forKey: .overrides)
    trials = try container.decode(Int.self, forKey: .trials)
    batchSize = try container.decode(Int.self, forKey: .batchSize)
    seed = try container.decode(UInt64.self, forKey: .seed)
    if let stored = try container.decodeIfPresent([SweepConfiguration.Objective].self, forKey: .objectives) {
      objectives = stored
    } else {
      objectives = [SweepConfiguration.Objective(metric: try container.decode(String.self, forKey: .objectiveMetric),
                                                 direction: try container.decode(MetricDirection.self, forKey: .direction))]
    }
    sampler = try container.decode(SweepConfiguration.Sampler.self, forKey: .sampler)
    pruner = try container.decodeIfPresent(SweepConfiguration.Pruner.self, forKey: .pruner)
    space = try container.decode([String: SearchDistribution].self, forKey: .space)
    leaseTimeout = try container.decode(TimeInterval.self, forKey: .leaseTimeout)
    heartbeatInterval = try container.decode(TimeInterval.self, forKey: .heartbeatInterval)
    maximumRestarts = try container.decode(Int.self, forKey: .maximumRestarts)
    createsTrialRuns = try container.decode(Bool.self, forKey: .createsTrialRuns)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(experimentFile, forKey: .experimentFile)
    try container.encode(overrides, forKey: .overrides)
    try container.encode(trials, forKey: .trials)
    try container.encode(batchSize, forKey: .batchSize)
    try container.encode(seed, forKey: .seed)
    try container.encode(objectives, forKey: .objectives)
    try container.encode(sampler, forKey: .sampler)
    try container.encodeIfPresent(pruner, forKey: .pruner)
    try container.encode(space, forKey: .space)
    try container.encode(leaseTimeout, forKey: .leaseTimeout)
    try container.encode(heartbeatInterval, forKey: .heartbeatInterval)
    try container.encode(maximumRestarts, forKey: .maximumRestarts)
    try container.encode(createsTrialRuns, forKey: .createsTrialRuns)
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
