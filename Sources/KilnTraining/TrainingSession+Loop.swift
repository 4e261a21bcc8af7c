import KilnNN
import KilnAutograd
import KilnTensor
import Foundation
import KilnData
import KilnDistributed
import KilnOptim
import KilnTracking
import KilnConfiguration

extension TrainingSession {
  /// Runs the epochs, then writes the final checkpoint and closes the run.
  func execute() throws -> TrainingResult {
    installCallbacks()
    do {
      let outcome: TrainingOutcome
      if configuration.mitigation?.reductions != nil {
        // The reduction trains every model it needs; a resumed run fits it again (same seed, same mixture).
        outcome = try fitReductionsInPlaceOfTraining()
      } else {
        try prepareState()
        outcome = try loop()
      }
      return try finish(outcome)
    } catch {
      if let run {
        // Rank 0 alone: the other ranks may be gone, so no collective call.
        if !resourceUsageRecorded {
          try? run.log(metrics: resourceMeter.localUsage(samples: samplesTrained, trainingSeconds: stepSeconds).metrics,
                       step: state.globalStep)
        }
        try? run.setTag("error", "\(error)")
        try? run.finish(.failed)
      }
      throw error
    }
  }

  private func loop() throws -> TrainingOutcome {
    let training = configuration.training
    let plan = TrainingPlan(epochs: training.epochs, stepsPerEpoch: trainLoader.batchesPerEpoch,
                            samplesPerEpoch: trainLoader.rowsPerEpoch * communicator.size,
                            firstEpoch: state.epoch, firstStep: state.globalStep)
    _ = try emit(.started(plan))
    var lastMetrics: [String: Double] = [:]
    while state.epoch < training.epochs {
      let epoch = state.epoch
      let started = Date()
      if state.stepInEpoch == 0 {
        state.epochLossSum = 0
        if let schedule { optimizer.learningRate = schedule.learningRate(atStep: epoch) }
        if let plateau { optimizer.learningRate = plateau.learningRate }
      }
      _ = try emit(.epochStarted(epoch: epoch))
      var directive = TrainingDirective.proceed
      for batch in trainLoader.epoch(epoch, skippingBatches: state.stepInEpoch) {
        if let failure = try step(batch, epoch: epoch) { return failure }
        if let every = training.checkpointEverySteps, state.globalStep % every == 0 { try gatherOptimizerState() }
        if case .stop = try emit(.batchEnded(BatchSummary(
          epoch: epoch, stepInEpoch: state.stepInEpoch - 1, globalStep: state.globalStep, loss: lastLoss,
          samples: batch.rowCount * communicator.size, learningRate: Double(optimizer.learningRate)))) {
          directive = .stop(reason: "stopped by a callback")
        }
      }
      if let error = trainLoader.lastError { throw error }
      let steps = max(trainLoader.batchesPerEpoch, 1)
      let trainingLoss = state.epochLossSum / Double(steps)
      try gatherOptimizerState()
      lastMetrics = try validate()
      if plateau != nil, let value = lastMetrics[selectionMetric] {
        optimizer.learningRate = plateau!.record(Float(value))
      }
      lastValidationMetrics = lastMetrics
      validationMetricsByEpoch[epoch] = lastMetrics
      state.epoch = epoch + 1
      state.stepInEpoch = 0
      let summary = EpochSummary(epoch: epoch, globalStep: state.globalStep, trainingLoss: trainingLoss,
                                 validationMetrics: lastMetrics, learningRate: Double(optimizer.learningRate),
                                 seconds: Date().timeIntervalSince(started))
      let epochDirective = try emit(.epochEnded(summary))
      if directive == .proceed { directive = epochDirective }
      if case .stop(let reason) = try agreed(directive) {
        return .stoppedEarly(epoch: epoch, reason: reason)
      }
    }
    return .completed(epochs: training.epochs)
  }

  /// Before rank 0 writes a checkpoint: the sharded optimizer's state, complete on every rank.
  private func gatherOptimizerState() throws {
    try gradientAverager.gatherOptimizerState(&optimizer, paths: model.parameterPaths)
  }

  /// Rank 0 decides whether to stop, so every rank leaves the loop together.
  private func agreed(_ directive: TrainingDirective) throws -> TrainingDirective {
    guard communicator.size > 1 else { return directive }
    var reason = ""
    if case .stop(let text) = directive { reason = text }
    let decided = String(decoding: try communicator.broadcast(bytes: Array(reason.utf8), root: 0), as: UTF8.self)
    return decided.isEmpty ? .proceed : .stop(reason: decided)
  }

  /// One optimizer step; returns an outcome only when training diverged.
  private func step(_ batch: Batch, epoch: Int) throws -> TrainingOutcome? {
    let stepStart = DispatchTime.now().uptimeNanoseconds
    defer {
      stepSeconds += Double(DispatchTime.now().uptimeNanoseconds - stepStart) / 1e9
      samplesTrained += batch.rowCount * communicator.size
    }
    let inputs = Tensor(shape: [batch.rowCount, batch.featureCount], scalars: batch.features)
    let head = self.head
    // Dropout masks are keyed by the rows' dataset indices, so every world size masks alike.
    model.dropout?.masks.position = (epoch, batch.rowIndices)
    let weights = lossWeights(batch)
    var (loss, gradients) = valueWithGradient(at: model) { model in
      head.loss(outputs: model(Variable(inputs)), batch: batch, weights: weights)
    }
    var lossValue = Double(loss.scalar)
    if communicator.size > 1 {
      let reduceStart = DispatchTime.now().uptimeNanoseconds
      lossValue = try gradientAverager.average(&gradients, loss: lossValue)
      allReduceSeconds += Double(DispatchTime.now().uptimeNanoseconds - reduceStart) / 1e9
    }
    let norm = try gradientAverager.globalNorm(gradients)
    guard lossValue.isFinite, norm.isFinite else {
      let reason = lossValue.isFinite ? "the gradient norm is \(norm)" : "the training loss is \(lossValue)"
      return .diverged(epoch: epoch, step: state.globalStep + 1, reason: reason + " (the last good checkpoint is kept)")
    }
    if let maximum = configuration.training.gradientClipNorm {
      clipByGlobalNorm(&gradients, maximumNorm: Float(maximum), norm: norm, owned: gradientAverager.owned)
    }
    optimizer.update(&model, along: gradients, owned: gradientAverager.owned)
    try gradientAverager.shareParameters(&model)
    state.globalStep += 1
    state.stepInEpoch += 1
    state.epochLossSum += lossValue
    lastLoss = lossValue
    return nil
  }

  /// Writes the final checkpoint, logs it as an artifact and closes the run.
  private func finish(_ outcome: TrainingOutcome) throws -> TrainingResult {
    let best = checkpointCallback?.best
    if try restoreBestWeights(outcome) {
      // Measured again rather than looked up, so a resumed run whose best epoch came before the
      // interruption reports the weights it ends with.
      lastValidationMetrics = try validate()
      if let run, let best { try run.setTag("restored_best_epoch", String(best.epoch + 1)) }
    }
    if communicator.isRoot {
      var finalCheckpoint = snapshot()
      if case .diverged = outcome {
        // Weights are untouched by the bad step, but they are not a trained model: keep last.h5 only.
      } else {
        finalCheckpoint.groupThresholds = try fittedGroupThresholds()
        let reductions = try storeReductions(into: &finalCheckpoint)
        try recordMitigations(thresholds: finalCheckpoint.groupThresholds, reductions: reductions)
        if let thresholds = finalCheckpoint.groupThresholds {
          let mitigated = try thresholdedValidationFairness(thresholds)
          lastValidationMetrics.merge(mitigated) { $1 }
          if !mitigated.isEmpty { try run?.log(metrics: mitigated, step: state.epoch) }
        }
        try finalCheckpoint.write(to: runDirectory.finalCheckpoint)
        _ = try run?.logArtifact(file: runDirectory.finalCheckpoint, name: "model/checkpoint.h5")
        if FileManager.default.fileExists(atPath: runDirectory.bestCheckpoint.path) {
          _ = try run?.logArtifact(file: runDirectory.bestCheckpoint, name: "model/best.h5")
        }
      }
    }
    // A reduction's fit reports its own progress (`fitReductionsInPlaceOfTraining`): no epochs ran.
    if fittedReductions == nil { _ = try emit(.finished(outcome)) }
    let finalMetrics = lastValidationMetrics
    let usage = try resourceMeter.gatheredUsage(samples: samplesTrained, trainingSeconds: stepSeconds, communicator: communicator)
    try run?.log(metrics: usage.metrics, step: state.globalStep)
    resourceUsageRecorded = true
    if let run, stepSeconds > 0, communicator.size > 1 {
      try run.setTag("timing.allreduce_share", String(format: "%.4f", allReduceSeconds / stepSeconds))
      try run.setTag("timing.allreduce_wait_share", String(format: "%.4f", gradientAverager.waitingSeconds / stepSeconds))
    }
    if let run {
      switch outcome {
      case .completed, .stoppedEarly:
        if case .stoppedEarly(_, let reason) = outcome { try run.setTag("stopped_early", reason) }
        try run.finish(.finished)
      case .diverged(_, _, let reason):
        try run.setTag("error", "training diverged: \(reason)")
        try run.finish(.failed)
      }
    }
    if case .diverged(let epoch, let step, let reason) = outcome {
      throw TrainingError(.diverged, "run \(runID) diverged at epoch \(epoch + 1), step \(step): \(reason)",
                          hint: "lower training.optimizer.lr or set training.gradient_clip_norm; resume with `kiln train --resume \(runID)` after fixing the cause")
    }
    return TrainingResult(runID: runID, outcome: outcome, finalValidationMetrics: finalMetrics,
                          bestValidationMetrics: best.flatMap { validationMetricsByEpoch[$0.epoch] } ?? finalMetrics,
                          checkpoint: runDirectory.finalCheckpoint, bestCheckpoint: runDirectory.bestCheckpoint, model: model)
  }

  /// With `training.restore_best`, puts the best epoch's weights (rank 0's `best.h5`) back into
  /// the model on every rank. Returns whether it did: not for a diverged run, nor when no epoch
  /// was ever measured.
  private func restoreBestWeights(_ outcome: TrainingOutcome) throws -> Bool {
    guard configuration.training.restoreBest == true else { return false }
    if case .diverged = outcome { return false }
    var available: [UInt8] = [0]
    if communicator.isRoot, checkpointCallback?.best != nil,
       FileManager.default.fileExists(atPath: runDirectory.bestCheckpoint.path) {
      let best = try Checkpoint.read(from: runDirectory.bestCheckpoint)
      try model.loadParameters(Dictionary(uniqueKeysWithValues: best.parameters.map { ($0.path, $0.value) }))
      available = [1]
    }
    guard communicator.size > 1 else { return available == [1] }
    available = try communicator.broadcast(bytes: available, root: 0)
    guard available == [1] else { return false }
    var flat = model.flattenedParameters().scalars
    try communicator.broadcast(&flat, root: 0)
    model.assignFlattenedParameters(Tensor(shape: [flat.count], scalars: flat))
    return true
  }
}
