import Foundation

extension Study {
  /// Runs `trials` more trials one after another, each calling `objective`. A trial whose
  /// objective throws is recorded as failed (or pruned, for `TrialPruned`) and the sweep goes
  /// on. Stops early when the sampler's `trialLimit` is reached (a grid is covered). Throws only
  /// if the storage fails.
  public func optimize(trials: Int, objective: (Trial) throws -> Double) throws {
    try optimize(trials: trials, objectives: { [try objective($0)] })
  }

  /// Runs `trials` more trials of a multi-objective study one after another, each calling
  /// `objectives`, which returns one value per objective (see `optimize(trials:objective:)`).
  public func optimize(trials: Int, objectives: (Trial) throws -> [Double]) throws {
    precondition(trials >= 0, "optimize: trial count \(trials) must not be negative")
    for _ in 0..<trials {
      if try limitReached() { return }
      let trial = try ask()
      try tell(trial, values: Result { try objectives(trial) })
    }
  }

  /// Runs `trials` more trials on `parallelism` threads, each thread asking for the next trial
  /// when its last one ends. Use `Synchronization.batches(of:)` for results that do not depend on
  /// `parallelism`. The first storage failure stops the workers and is rethrown.
  public func optimize(trials: Int, parallelism: Int,
                       objective: @escaping @Sendable (Trial) throws -> Double) throws {
    try optimize(trials: trials, parallelism: parallelism, objectives: { [try objective($0)] })
  }

  /// Runs `trials` more trials of a multi-objective study on `parallelism` threads (see
  /// `optimize(trials:parallelism:objective:)`).
  public func optimize(trials: Int, parallelism: Int,
                       objectives: @escaping @Sendable (Trial) throws -> [Double]) throws {
    precondition(trials >= 0, "optimize: trial count \(trials) must not be negative")
    precondition(parallelism >= 1, "optimize: parallelism \(parallelism) must be at least 1")
    let coordinator = WorkerCoordinator(remaining: trials)
    let group = DispatchGroup()
    for _ in 0..<min(parallelism, max(trials, 1)) {
      group.enter()
      let thread = Thread { [self] in
        defer { group.leave() }
        runWorker(coordinator, objectives: objectives)
      }
      thread.start()
    }
    group.wait()
    if let error = coordinator.firstError { throw error }
  }

  private func runWorker(_ coordinator: WorkerCoordinator, objectives: (Trial) throws -> [Double]) {
    do {
      // The limit check and the creation of the trial happen under the coordinator's lock, so
      // workers never overshoot a grid; fixing the history (which may wait) happens outside it.
      while let number = try coordinator.claim({
        try limitReached() ? nil : try storage.createTrial(leaseOwner: nil, at: Date())
      }) {
        let trial = try trial(number: number)
        try tell(trial, values: Result { try objectives(trial) })
      }
    } catch {
      coordinator.fail(error)
    }
  }

  private func limitReached() throws -> Bool {
    guard let limit = sampler.trialLimit else { return false }
    return try storage.allTrials().count >= limit
  }
}

/// Hands out trial slots to worker threads and keeps the first error.
private final class WorkerCoordinator: @unchecked Sendable {
  private let lock = NSLock()
  private var remaining: Int
  private(set) var firstError: (any Error)?

  init(remaining: Int) {
    self.remaining = remaining
  }

  func claim(_ create: () throws -> Int?) throws -> Int? {
    try lock.withLock {
      guard remaining > 0, firstError == nil, let number = try create() else { return nil }
      remaining -= 1
      return number
    }
  }

  func fail(_ error: any Error) {
    lock.withLock { if firstError == nil { firstError = error } }
  }
}
