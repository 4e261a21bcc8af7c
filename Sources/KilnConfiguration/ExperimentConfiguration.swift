import Foundation
import KilnMetricDirection
import KilnReport

/// One experiment, as written in `experiments/NAME.yaml` (docs/DESIGN.md, "The experiment file").
///
/// Keys are snake_case in YAML. Loading is strict: an unknown key, a wrong type or an
/// out-of-range value is a `ConfigurationError` naming the file, line, column and key.
public struct ExperimentConfiguration: Codable, Equatable, Sendable {
  /// The experiment's name; runs are grouped under it in the tracker.
  public var name: String
  /// A free-text description for reports and model cards.
  public var description: String?
  /// The Kiln dataset file (`.h5`), relative to the project root.
  public var dataset: String
  public var model: ModelConfiguration
  public var training: TrainingConfiguration
  public var evaluation: EvaluationConfiguration?
  public var gates: [Gate]?
  public var sweep: SweepConfiguration?
  /// The model card's prose.
  public var card: ModelCardConfiguration?
  /// Drift and degradation thresholds for `kiln drift` and `kiln monitor`.
  public var monitoring: MonitoringConfiguration?
  /// Reweighing during training and group thresholds after it.
  public var mitigation: MitigationConfiguration?

  public init(name: String, description: String? = nil, dataset: String, model: ModelConfiguration,
              training: TrainingConfiguration, evaluation: EvaluationConfiguration? = nil,
              gates: [Gate]? = nil, sweep: SweepConfiguration? = nil,
              monitoring: MonitoringConfiguration? = nil, mitigation: MitigationConfiguration? = nil) {
    self.name = name
    self.description = description
    self.dataset = dataset
    self.model = model
    self.training = training
    self.evaluation = evaluation
    self.gates = gates
    self.sweep = sweep
    self.monitoring = monitoring
    self.mitigation = mitigation
  }
}

/// The network: an MLP classifier or regressor; logistic regression is an MLP without hidden layers.
public struct ModelConfiguration: Codable, Equatable, Sendable {
  public enum Kind: String, ConfigurationName, Sendable {
    case mlp
    case logisticRegression = "logistic_regression"
  }

  public enum Activation: String, ConfigurationName, Sendable {
    case relu, gelu, tanh, sigmoid
    case leakyRelu = "leaky_relu"
  }

  public var kind: Kind
  /// Hidden layer widths (`mlp` only), e.g. `[64, 64]`.
  public var hidden: [Int]?
  public var activation: Activation?
  /// Dropout probability after each hidden layer, in [0, 1).
  public var dropout: Double?

  public init(kind: Kind, hidden: [Int]? = nil, activation: Activation? = nil, dropout: Double? = nil) {
    self.kind = kind
    self.hidden = hidden
    self.activation = activation
    self.dropout = dropout
  }
}

/// How the model is trained.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
  public var epochs: Int
  public var batchSize: Int
  /// The one seed that fixes initialisation, data order, dropout, sweeps and bootstrap.
  public var seed: UInt64
  public var optimizer: OptimizerConfiguration
  public var schedule: ScheduleConfiguration?
  /// Clip gradients to this global L2 norm before each update.
  public var gradientClipNorm: Double?
  public var earlyStopping: EarlyStoppingConfiguration?
  /// Write a checkpoint every N optimizer steps (and always at the end of each epoch).
  public var checkpointEverySteps: Int?
  /// The validation metric that picks the best checkpoint, e.g. `validation.roc_auc`.
  public var selectionMetric: String?
  /// End training with the best epoch's weights (by `selectionMetric`) instead of the last
  /// epoch's, as Keras' `restore_best_weights` does: the final checkpoint, the evaluation and a
  /// sweep trial's value then all come from the best epoch.
  public var restoreBest: Bool?
  /// With data-parallel ranks, each rank steps the optimizer for its share of the large
  /// parameters and sends them to the others (ZeRO stage 1) instead of every rank stepping every
  /// parameter; default true. The result is the same either way.
  public var shardOptimizer: Bool?

  enum CodingKeys: String, CodingKey {
    case epochs, seed, optimizer, schedule
    case restoreBest = "restore_best"
    case shardOptimizer = "shard_optimizer"
    case batchSize = "batch_size"
    case gradientClipNorm = "gradient_clip_norm"
    case earlyStopping = "early_stopping"
    case checkpointEverySteps = "checkpoint_every_steps"
    case selectionMetric = "selection_metric"
  }

  public init(epochs: Int, batchSize: Int, seed: UInt64, optimizer: OptimizerConfiguration,
              schedule: ScheduleConfiguration? = nil, gradientClipNorm: Double? = nil,
              earlyStopping: EarlyStoppingConfiguration? = nil, checkpointEverySteps: Int? = nil,
              selectionMetric: String? = nil, restoreBest: Bool? = nil) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.optimizer = optimizer
    self.schedule = schedule
    self.gradientClipNorm = gradientClipNorm
    self.earlyStopping = earlyStopping
    self.checkpointEverySteps = checkpointEverySteps
    self.selectionMetric = selectionMetric
    self.restoreBest = restoreBest
  }
}

public struct OptimizerConfiguration: Codable, Equatable, Sendable {
  public enum Kind: String, ConfigurationName, Sendable {
    case sgd, adam, adamw, rmsprop
  }

  public var kind: Kind
  /// Learning rate η.
  public var lr: Double
  public var momentum: Double?
  public var nesterov: Bool?
  public var weightDecay: Double?
  public var beta1: Double?
  public var beta2: Double?
  public var epsilon: Double?
  /// RMSprop's smoothing constant α.
  public var alpha: Double?
  /// Parameter groups with their own learning rate or weight decay; a parameter takes the first
  /// group that matches it, then `ParameterGroupConfiguration.noDecayOnBiasesAndNormalization`.
  public var paramGroups: [ParameterGroupConfiguration]?

  enum CodingKeys: String, CodingKey {
    case kind, lr, momentum, nesterov, beta1, beta2, epsilon, alpha
    case weightDecay = "weight_decay"
    case paramGroups = "param_groups"
  }

  public init(kind: Kind, lr: Double, momentum: Double? = nil, nesterov: Bool? = nil, weightDecay: Double? = nil,
              beta1: Double? = nil, beta2: Double? = nil, epsilon: Double? = nil, alpha: Double? = nil,
              paramGroups: [ParameterGroupConfiguration]? = nil) {
    self.kind = kind
    self.lr = lr
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.alpha = alpha
    self.paramGroups = paramGroups
  }
}

/// A parameter group (`training.optimizer.param_groups[i]`), as PyTorch users know them: the
/// parameters it matches — every criterion given must hold — take its learning rate and weight
/// decay instead of the optimizer's.
///
///     param_groups:
///       - {kinds: [bias, normalization], weight_decay: 0.01}   # decay biases after all
///       - {paths: ["layers.0.*"], lr: 1.0e-4}                  # a slower first layer
public struct ParameterGroupConfiguration: Codable, Equatable, Sendable {
  /// What a parameter is (`KilnNN.ParameterKind`).
  public enum Kind: String, ConfigurationName, Sendable {
    case weight, bias, normalization
  }

  public var kinds: [Kind]?
  /// Patterns over parameter paths, where `*` stands for any run of characters: `layers.0.*`.
  public var paths: [String]?
  /// The group's learning rate; schedules scale it as they scale `training.optimizer.lr`.
  public var lr: Double?
  public var weightDecay: Double?

  enum CodingKeys: String, CodingKey {
    case kinds, paths, lr
    case weightDecay = "weight_decay"
  }

  public init(kinds: [Kind]? = nil, paths: [String]? = nil, lr: Double? = nil, weightDecay: Double? = nil) {
    self.kinds = kinds
    self.paths = paths
    self.lr = lr
    self.weightDecay = weightDecay
  }

  /// The group every run has after the file's own: no weight decay on biases and normalisation
  /// parameters. A file group matching them first overrides it.
  public static let noDecayOnBiasesAndNormalization = ParameterGroupConfiguration(kinds: [.bias, .normalization], weightDecay: 0)

  /// Whether the parameter at `path` of kind `kind` (a `Kind` raw value) belongs to the group.
  public func matches(path: String, kind: String) -> Bool {
    guard kinds != nil || paths != nil else { return false }
    if let kinds, !kinds.contains(where: { $0.rawValue == kind }) { return false }
    if let paths, !paths.contains(where: { Self.pattern($0, matches: path) }) { return false }
    return true
  }

  /// Whether `text` matches `pattern`, where `*` stands for any run of characters.
  static func pattern(_ pattern: String, matches text: String) -> Bool {
    let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, let last = parts.last, parts.count > 1 else { return pattern == text }
    guard text.hasPrefix(first) else { return false }
    var rest = Substring(text.dropFirst(first.count))
    for part in parts.dropFirst().dropLast() where !part.isEmpty {
      guard let found = rest.range(of: part) else { return false }
      rest = rest[found.upperBound...]
    }
    return rest.hasSuffix(last)
  }
}

/// A learning-rate schedule, stepped once per epoch.
public struct ScheduleConfiguration: Codable, Equatable, Sendable {
  public enum Kind: String, ConfigurationName, Sendable {
    case constant, step, exponential, cosine
    case reduceOnPlateau = "reduce_on_plateau"
  }

  public var kind: Kind
  /// `step`: epochs between decays.
  public var stepSize: Int?
  /// `step`, `exponential`, `reduce_on_plateau`: the decay factor.
  public var gamma: Double?
  /// `cosine`: epochs of linear warm-up.
  public var warmupEpochs: Int?
  /// `cosine`, `reduce_on_plateau`: the floor of the learning rate.
  public var minLr: Double?
  /// `reduce_on_plateau`: epochs without improvement before a decay.
  public var patience: Int?

  enum CodingKeys: String, CodingKey {
    case kind, gamma, patience
    case stepSize = "step_size"
    case warmupEpochs = "warmup_epochs"
    case minLr = "min_lr"
  }
}

extension MetricDirection: ConfigurationName {}

public struct EarlyStoppingConfiguration: Codable, Equatable, Sendable {
  /// A validation metric, e.g. `validation.roc_auc` or `validation.loss`.
  public var metric: String
  public var direction: MetricDirection
  /// Epochs without an improvement larger than `min_delta` before training stops.
  public var patience: Int
  public var minDelta: Double?

  enum CodingKeys: String, CodingKey {
    case metric, direction, patience
    case minDelta = "min_delta"
  }
}

/// What `kiln evaluate` computes.
public struct EvaluationConfiguration: Codable, Equatable, Sendable {
  public enum ThresholdSelection: String, ConfigurationName, Sendable {
    case fixed, f1
    case youdenJ = "youden_j"
  }

  /// Sensitive attributes to disaggregate by, e.g. `[sex, race]`.
  public var sensitive: [String]?
  /// Intersections of sensitive attributes, e.g. `[[sex, race]]`.
  public var intersections: [[String]]?
  /// The decision threshold (default 0.5), used as is when `threshold_selection` is `fixed`.
  public var threshold: Double?
  /// Choose the threshold on the validation split by F1 or Youden's J.
  public var thresholdSelection: ThresholdSelection?
  /// Groups smaller than this are reported as "insufficient data".
  public var minGroupSize: Int?
  public var bootstrap: Bootstrap?
  public var robustness: RobustnessConfiguration?

  public init(sensitive: [String]? = nil, intersections: [[String]]? = nil, threshold: Double? = nil,
              thresholdSelection: ThresholdSelection? = nil, minGroupSize: Int? = nil, bootstrap: Bootstrap? = nil,
              robustness: RobustnessConfiguration? = nil) {
    self.sensitive = sensitive
    self.intersections = intersections
    self.threshold = threshold
    self.thresholdSelection = thresholdSelection
    self.minGroupSize = minGroupSize
    self.bootstrap = bootstrap
    self.robustness = robustness
  }

  /// Percentile-bootstrap confidence intervals for every reported metric.
  public struct Bootstrap: Codable, Equatable, Sendable {
    public var resamples: Int
    /// The interval's confidence level, e.g. 0.95.
    public var confidence: Double?

    public init(resamples: Int, confidence: Double? = nil) {
      self.resamples = resamples
      self.confidence = confidence
    }
  }

  enum CodingKeys: String, CodingKey {
    case sensitive, intersections, threshold, bootstrap, robustness
    case thresholdSelection = "threshold_selection"
    case minGroupSize = "min_group_size"
  }
}

public struct RobustnessConfiguration: Codable, Equatable, Sendable {
  /// Standard deviations of Gaussian noise on standardised numeric inputs.
  public var gaussianNoise: [Double]?
  /// Rates of features set to their imputed value.
  public var missingFeatures: [Double]?
  /// Rates of categorical values swapped for another category.
  public var categoryCorruption: [Double]?
  /// Strengths s of subgroup shift: each sensitive attribute's mix moved to (1 − s)·π + s·δ_group.
  public var subgroupShift: [Double]?
  /// L∞ budgets ε of the fast gradient sign method.
  public var fgsm: [Double]?
  public var pgd: PGDConfiguration?
  /// Features never perturbed (the sensitive attributes are always immutable).
  public var immutable: [String]?

  enum CodingKeys: String, CodingKey {
    case fgsm, pgd, immutable
    case gaussianNoise = "gaussian_noise"
    case missingFeatures = "missing_features"
    case categoryCorruption = "category_corruption"
    case subgroupShift = "subgroup_shift"
  }

  public init(gaussianNoise: [Double]? = nil, missingFeatures: [Double]? = nil, categoryCorruption: [Double]? = nil,
              subgroupShift: [Double]? = nil, fgsm: [Double]? = nil, pgd: PGDConfiguration? = nil, immutable: [String]? = nil) {
    self.gaussianNoise = gaussianNoise
    self.missingFeatures = missingFeatures
    self.categoryCorruption = categoryCorruption
    self.subgroupShift = subgroupShift
    self.fgsm = fgsm
    self.pgd = pgd
    self.immutable = immutable
  }
}

public struct PGDConfiguration: Codable, Equatable, Sendable {
  public var epsilons: [Double]
  public var steps: Int
  /// The step size α; default ε / 4.
  public var stepSize: Double?
  /// Start from a uniform random point in the ε-ball (default true).
  public var randomStart: Bool?

  enum CodingKeys: String, CodingKey {
    case epsilons, steps
    case stepSize = "step_size"
    case randomStart = "random_start"
  }

  public init(epsilons: [Double], steps: Int, stepSize: Double? = nil, randomStart: Bool? = nil) {
    self.epsilons = epsilons
    self.steps = steps
    self.stepSize = stepSize
    self.randomStart = randomStart
  }
}

/// Gates are `Gate`s, which own their grammar; these make its names strict, with did-you-mean.
extension Gate.Baseline: ConfigurationName {}
extension Gate.Bound: ConfigurationName {}
extension Gate.Severity: ConfigurationName {}
extension Gate: ConfigurationPlaceholder {
  static var placeholder: Gate { Gate(metric: "", threshold: .atLeast(.nan)) }
}

/// A hyperparameter sweep over this experiment.
public struct SweepConfiguration: Codable, Equatable, Sendable {
  public enum Sampler: String, ConfigurationName, Sendable { case grid, random, tpe, qmc, nsga2 }

  public struct Objective: Codable, Equatable, Sendable {
    public var metric: String
    public var direction: MetricDirection

    public init(metric: String, direction: MetricDirection) {
      self.metric = metric
      self.direction = direction
    }
  }

  public struct Pruner: Codable, Equatable, Sendable {
    public enum Kind: String, ConfigurationName, Sendable { case none, median, asha }
    public var kind: Kind
    public var warmupSteps: Int?
    public var startupTrials: Int?
    public var reductionFactor: Int?
    public var minResource: Int?

    enum CodingKeys: String, CodingKey {
      case kind
      case warmupSteps = "warmup_steps"
      case startupTrials = "startup_trials"
      case reductionFactor = "reduction_factor"
      case minResource = "min_resource"
    }
  }

  /// The one objective of a single-objective sweep; a multi-objective sweep gives `objectives`.
  public var objective: Objective?
  /// Two or more objectives, each with its direction (a multi-objective sweep, e.g. with nsga2).
  public var objectives: [Objective]?
  public var sampler: Sampler
  public var trials: Int
  public var pruner: Pruner?
  /// NSGA-II's generation size (default 50); trials are sampled a generation at a time.
  public var populationSize: Int?
  /// Dotted configuration key → distribution, e.g. `training.optimizer.lr: {loguniform: [1e-4, 1e-1]}`.
  public var space: [String: SearchDistribution]

  /// `objective`, or `objectives`: what the sweep optimises, in order (the first breaks ties and
  /// picks the configuration the pipeline trains).
  public var allObjectives: [Objective] { objective.map { [$0] } ?? objectives ?? [] }

  enum CodingKeys: String, CodingKey {
    case objective, objectives, sampler, trials, pruner, space
    case populationSize = "population_size"
  }
}

/// One dimension of a sweep's search space: exactly one of the keys.
public struct SearchDistribution: Codable, Equatable, Sendable {
  public var uniform: [Double]?
  public var loguniform: [Double]?
  public var int: [Int]?
  /// Categorical choices, written as YAML scalars and applied as `--set` values.
  public var choice: [String]?
}
