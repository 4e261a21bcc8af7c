import KilnMetricDirection
import Foundation

/// A hyperparameter search: one direction per objective, a sampler, a pruner and a storage of
/// trials. With two or more objectives (`init(directions:…)`, `optimize(trials:objectives:)`) a
/// trial returns one value per objective and the study's result is its Pareto front
/// (`paretoFront()`); the sampler must handle several objectives (`NSGAIISampler`, or the
/// random, Sobol and grid samplers, which ignore values).
///
/// ```swift
/// let study = Study(direction: .minimize, sampler: TPESampler(), pruner: MedianPruner(), seed: 7)
/// try study.optimize(trials: 50) { trial in
///   let learningRate = trial.suggestFloat("lr", in: 1e-5...1e-1, scale: .logarithmic)
///   let layers = trial.suggestInt("layers", in: 1...4)
///   var loss = 0.0
///   for epoch in 0..<10 {
///     loss = train(learningRate, layers, epoch)
///     trial.report(loss, step: epoch)
///     if trial.shouldPrune { throw TrialPruned() }
///   }
///   return loss
/// }
/// ```
///
/// Reproducibility: trial n's suggestions are a function of (seed, n, the trials it conditions
/// on) — samplers keep no state and draw from generators seeded by (seed, n, parameter name).
/// Run sequentially, trial n conditions on trials 0 … n−1, so a seed fixes the whole sweep.
/// Run by several workers, what trial n conditions on depends on `synchronization`:
/// - `.none`: the trials finished when n starts — fastest, but the history, and so the results,
///   depend on timing and on the number of workers;
/// - `.batches(of: B)`: exactly trials 0 … ⌊n/B⌋·B − 1, waiting for them to finish: trials are
///   sampled in generations of B from a fixed history, so the set of trials and their results is
///   the same for any number of workers (at the cost of idle workers at generation boundaries
///   when the worker count does not divide B). Pruners then compare with that same history.
/// Process-level workers (local processes, MPI ranks) get the same guarantee when one
/// coordinator calls `ask` and `tell` against a shared `TrialStorage` with the same
/// synchronization: the storage hands out numbers, and a trial restarted after its worker died
/// (`askAgain(number:)`) is sampled again from its number and gets the same suggestions.
public final class Study: @unchecked Sendable {
  /// What each trial conditions on when trials run concurrently (see the type's documentation).
  public enum Synchronization: Hashable, Sendable {
    case none
    case batches(of: Int)
  }

  public let name: String
  /// One direction per objective.
  public let directions: [MetricDirection]
  /// The first (for a single-objective study, the only) objective's direction.
  public var direction: MetricDirection { directions[0] }
  public let sampler: any Sampler
  public let pruner: any Pruner
  public let storage: any TrialStorage
  public let seed: UInt64
  public let synchronization: Synchronization
  let finished = NSCondition()

  public convenience init(name: String = "study", direction: MetricDirection = .minimize, sampler: any Sampler = TPESampler(),
                          pruner: any Pruner = NoPruner(), storage: any TrialStorage = InMemoryTrialStorage(),
                          seed: UInt64 = 0, synchronization: Synchronization = .none) {
    self.init(name: name, directions: [direction], sampler: sampler, pruner: pruner, storage: storage,
              seed: seed, synchronization: synchronization)
  }

  /// A study of `directions.count` objectives. Several objectives need a sampler that handles
  /// them (`Sampler.handlesMultipleObjectives`).
  public init(name: String = "study", directions: [MetricDirection], sampler: any Sampler,
              pruner: any Pruner = NoPruner(), storage: any TrialStorage = InMemoryTrialStorage(),
              seed: UInt64 = 0, synchronization: Synchronization = .none) {
    if case .batches(let size) = synchronization {
      precondition(size >= 1, "Study: a synchronization batch of \(size) trials must hold at least one")
    }
    precondition(!directions.isEmpty, "Study: a study needs at least one objective")
    precondition(directions.count == 1 || sampler.handlesMultipleObjectives,
                 "Study: \(type(of: sampler)) optimises one objective, not \(directions.count)")
    precondition(directions.count == 1 || pruner.handlesMultipleObjectives,
                 "Study: \(type(of: pruner)) prunes by one objective, not \(directions.count)")
    self.name = name
    self.directions = directions
    self.sampler = sampler
    self.pruner = pruner
    self.storage = storage
    self.seed = seed
    self.synchronization = synchronization
  }

  /// All trials, by number.
  public func trials() throws -> [TrialRecord] { try storage.allTrials() }

  /// The complete trial with the best value of the first objective (the lowest number among
  /// ties), if any. A multi-objective study's answer is `paretoFront()`.
  public func bestTrial() throws -> TrialRecord? {
    try storage.allTrials().filter { $0.state == .complete }.reduce(nil) { best, trial in
      guard let best else { return trial }
      return direction.isBetter(trial.value!, than: best.value!) ? trial : best
    }
  }

  /// The complete trials no other complete trial dominates (see `Pareto`), by number; for one
  /// objective, every trial with the best value.
  public func paretoFront() throws -> [TrialRecord] {
    Pareto.front(of: try storage.allTrials(), directions: directions)
  }

  /// Starts a new trial: takes the next number from storage, fixes its history and lets the
  /// sampler make its joint proposals. Pair with `tell(_:result:)`.
  public func ask(leaseOwner: String? = nil) throws -> Trial {
    let number = try storage.createTrial(leaseOwner: leaseOwner, at: Date())
    return try trial(number: number)
  }

  /// Runs trial `number` again from the start, as for a trial whose worker died: it is sampled
  /// from the same seed and number, so with the same history it gets the same suggestions.
  public func askAgain(number: Int, leaseOwner: String? = nil) throws -> Trial {
    try storage.restartTrial(number, leaseOwner: leaseOwner, at: Date())
    return try trial(number: number)
  }

  /// The trial object for an existing running trial: fixes its history (waiting for it under
  /// synchronized batches) and lets the sampler make its joint proposals.
  func trial(number: Int) throws -> Trial {
    let context = SamplingContext(seed: seed, trialNumber: number, directions: directions,
                                  history: try history(for: number))
    return Trial(number: number, study: self, context: context)
  }

  /// Ends `trial` of a single-objective study with the objective's result (see `tell(_:values:)`).
  public func tell(_ trial: Trial, result: Result<Double, any Error>) throws {
    try tell(trial, values: result.map { [$0] })
  }

  /// Ends `trial` with the objectives' result: complete with its values; pruned (with its last
  /// reported value) if the objective threw `TrialPruned`; failed with the error text if it threw
  /// anything else, returned NaN or returned a value count other than the objective count.
  /// Rethrows a storage failure that happened during the trial.
  public func tell(_ trial: Trial, values result: Result<[Double], any Error>) throws {
    defer {
      finished.lock()
      finished.broadcast()
      finished.unlock()
    }
    let (state, values, error) = Study.outcome(of: result, objectiveCount: directions.count,
                                               lastReported: trial.snapshot.lastReportedValues)
    try storage.finishTrial(trial.number, state: state, values: values, error: error, at: Date())
    if let storageError = trial.storageError { throw storageError }
  }

  /// The end state of a trial from its objective's result: complete with its values; pruned
  /// with the values last reported (`TrialRecord.lastReportedValues`); failed with the error text
  /// (or for NaN or a wrong count).
  public static func outcome(of result: Result<[Double], any Error>, objectiveCount: Int,
                             lastReported: [Double]?) -> (TrialState, [Double]?, String?) {
    switch result {
    case .success(let values) where values.count != objectiveCount:
      return (.failed, nil, "the objective returned \(values.count) values for \(objectiveCount) objectives")
    case .success(let values) where values.contains(where: \.isNaN):
      return (.failed, nil, "the objective returned NaN")
    case .success(let values):
      return (.complete, values, nil)
    case .failure(let error) where error is TrialPruned:
      return (.pruned, lastReported, nil)
    case .failure(let error):
      return (.failed, nil, String(describing: error))
    }
  }

  /// The finished trials trial `number` conditions on (see `Synchronization`).
  func history(for number: Int) throws -> [TrialRecord] {
    switch synchronization {
    case .none:
      return try storage.allTrials().filter { $0.state.isFinished && $0.number != number }
    case .batches(let size):
      let boundary = (number / size) * size
      finished.lock()
      defer { finished.unlock() }
      while true {
        let earlier = try storage.allTrials().filter { $0.number < boundary }
        if earlier.count == boundary && earlier.allSatisfy(\.state.isFinished) { return earlier }
        finished.wait()
      }
    }
  }

  /// The trials a pruner compares `trial` with.
  func pruningPeers(for trial: Trial) throws -> [TrialRecord] {
    switch synchronization {
    case .none:
      return try storage.allTrials().filter { $0.number != trial.number }
    case .batches:
      return trial.context.history
    }
  }
}
