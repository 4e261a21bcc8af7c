import KilnMetricDirection
import KilnRandom
/// What a sampler knows when it suggests values for one trial.
public struct SamplingContext: Sendable {
  /// The study's seed.
  public let seed: UInt64
  /// The number of the trial being sampled.
  public let trialNumber: Int
  /// One direction per objective.
  public let directions: [MetricDirection]
  /// The first (for a single-objective study, the only) objective's direction.
  public var direction: MetricDirection { directions[0] }
  /// The finished trials this trial conditions on (complete, pruned and failed), by number.
  /// It is fixed when the trial starts, so every suggestion of the trial sees the same history.
  public let history: [TrialRecord]

  public init(seed: UInt64, trialNumber: Int, directions: [MetricDirection], history: [TrialRecord]) {
    self.seed = seed
    self.trialNumber = trialNumber
    self.directions = directions
    self.history = history
  }

  /// The generator for one purpose (`label`, usually a parameter name) of this trial: its draws
  /// depend only on (seed, trial number, label) (see `RandomStream.sweep`).
  public func generator(for label: String) -> SeededGenerator {
    SeededGenerator(seed: seed, stream: .sweep(trial: trialNumber, label: label))
  }
}

/// A strategy for suggesting parameter values.
///
/// Determinism: a sampler is a pure function of its configuration and a `SamplingContext`
/// (seed, trial number, history) — it keeps no mutable state, and draws its randomness from
/// `context.generator(for:)`. So a trial's suggestions depend only on the seed, its number and
/// the trials it conditions on, whichever worker runs it.
///
/// Define-by-run: the objective asks for parameters one by one. A sampler may first propose
/// values for several parameters jointly when the trial starts (`sampleRelative`), for the
/// parameters whose distributions it can infer from the history; every other parameter is asked
/// of `sampleIndependent` when the objective suggests it.
public protocol Sampler: Sendable {
  /// Joint proposals for the parameters the sampler can foresee, keyed by name; a proposal is
  /// used only if the objective then asks for that name with the same distribution.
  func sampleRelative(context: SamplingContext) -> [String: (value: ParameterValue, distribution: ParameterDistribution)]

  /// A value for one parameter. `parameterIndex` is its position among the distinct
  /// parameters the trial has asked for (0 for the first), which quasi-random samplers use as
  /// the dimension.
  func sampleIndependent(name: String, distribution: ParameterDistribution, parameterIndex: Int,
                         context: SamplingContext) -> ParameterValue

  /// The number of trials after which the sampler has nothing new to suggest (a grid's size),
  /// or `nil` if it has no limit.
  var trialLimit: Int? { get }

  /// Whether the sampler handles studies of several objectives: it reads `values`, not `value`,
  /// or reads no values at all.
  var handlesMultipleObjectives: Bool { get }
}

extension Sampler {
  public func sampleRelative(context: SamplingContext) -> [String: (value: ParameterValue, distribution: ParameterDistribution)] {
    [:]
  }

  public var trialLimit: Int? { nil }

  public var handlesMultipleObjectives: Bool { false }
}
