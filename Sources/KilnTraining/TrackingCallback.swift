import KilnMetricDirection
import KilnTracking
import KilnConfiguration

/// Logs training to the tracker: per-step training loss, per-epoch validation metrics, the
/// learning rate, the epoch's mean training loss and its wall time (`system.epoch_seconds`).
///
/// Points are acknowledged (committed) at least every second while training logs, at each epoch
/// end and before each checkpoint: it sits before `CheckpointCallback` and flushes on the steps
/// that write one, so a run resumed from a checkpoint has every point logged before it.
final class TrackingCallback: TrainingCallback {
  let run: ActiveRun
  let checkpointEverySteps: Int?

  init(run: ActiveRun, checkpointEverySteps: Int?) {
    self.run = run
    self.checkpointEverySteps = checkpointEverySteps
  }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    switch event {
    case .batchEnded(let batch):
      try run.log("train.loss", value: batch.loss, step: batch.globalStep)
      if let every = checkpointEverySteps, batch.globalStep % every == 0 { try run.flush() }
    case .epochEnded(let summary):
      var metrics = summary.validationMetrics
      metrics["train.epoch_loss"] = summary.trainingLoss
      metrics["train.learning_rate"] = summary.learningRate
      metrics[ResourceUsage.prefix + "epoch_seconds"] = summary.seconds
      try run.log(metrics: metrics, step: summary.epoch + 1)
      try run.flush()
    case .started, .epochStarted, .finished:
      break
    }
    return .proceed
  }
}

/// Writes checkpoints: `last.h5` every N steps and at each epoch end, and `best.h5` whenever the
/// selection metric improves. The snapshot closure captures the whole training state.
final class CheckpointCallback: TrainingCallback {
  let directory: RunDirectory
  let everySteps: Int?
  let selectionMetric: String
  let direction: MetricDirection
  let snapshot: () -> Checkpoint
  /// The best selection-metric value so far and its epoch (restored on resume).
  var best: (value: Double, epoch: Int)?

  init(directory: RunDirectory, everySteps: Int?, selectionMetric: String, direction: MetricDirection, snapshot: @escaping () -> Checkpoint) {
    self.directory = directory
    self.everySteps = everySteps
    self.selectionMetric = selectionMetric
    self.direction = direction
    self.snapshot = snapshot
  }

  func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    switch event {
    case .batchEnded(let batch):
      if let everySteps, batch.globalStep % everySteps == 0 {
        try snapshot().write(to: directory.lastCheckpoint)
      }
    case .epochEnded(let summary):
      if let value = summary.validationMetrics[selectionMetric], value.isFinite,
         best.map({ direction.isBetter(value, than: $0.value) }) ?? true {
        best = (value, summary.epoch)
      }
      let checkpoint = snapshot()
      try checkpoint.write(to: directory.lastCheckpoint)
      if best?.epoch == summary.epoch { try checkpoint.write(to: directory.bestCheckpoint) }
    case .started, .epochStarted, .finished:
      break
    }
    return .proceed
  }
}
