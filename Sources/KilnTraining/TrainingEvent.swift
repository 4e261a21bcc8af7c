import KilnConfiguration
/// What happened in a training run, in order; callbacks receive every event.
public enum TrainingEvent: Sendable {
  case started(TrainingPlan)
  case epochStarted(epoch: Int)
  case batchEnded(BatchSummary)
  case epochEnded(EpochSummary)
  case finished(TrainingOutcome)
}

/// The shape of the run, known before the first step.
public struct TrainingPlan: Sendable, Equatable {
  public var epochs: Int
  public var stepsPerEpoch: Int
  /// Training rows per epoch, over all ranks.
  public var samplesPerEpoch: Int
  /// The epoch training starts at (non-zero when resuming).
  public var firstEpoch: Int
  /// The global step training starts at (non-zero when resuming).
  public var firstStep: Int

  public init(epochs: Int, stepsPerEpoch: Int, samplesPerEpoch: Int, firstEpoch: Int = 0, firstStep: Int = 0) {
    self.epochs = epochs
    self.stepsPerEpoch = stepsPerEpoch
    self.samplesPerEpoch = samplesPerEpoch
    self.firstEpoch = firstEpoch
    self.firstStep = firstStep
  }
}

/// One optimizer step.
public struct BatchSummary: Sendable, Equatable {
  public var epoch: Int
  /// The step within the epoch, from 0.
  public var stepInEpoch: Int
  /// The global step count after this step.
  public var globalStep: Int
  public var loss: Double
  /// Rows in this batch over all ranks.
  public var samples: Int
  public var learningRate: Double

  public init(epoch: Int, stepInEpoch: Int, globalStep: Int, loss: Double, samples: Int, learningRate: Double) {
    self.epoch = epoch
    self.stepInEpoch = stepInEpoch
    self.globalStep = globalStep
    self.loss = loss
    self.samples = samples
    self.learningRate = learningRate
  }
}

/// One finished epoch with its validation metrics (`validation.loss`, `validation.roc_auc`, …).
public struct EpochSummary: Sendable, Equatable {
  public var epoch: Int
  public var globalStep: Int
  public var trainingLoss: Double
  public var validationMetrics: [String: Double]
  public var learningRate: Double
  public var seconds: Double

  public init(epoch: Int, globalStep: Int, trainingLoss: Double, validationMetrics: [String: Double], learningRate: Double, seconds: Double) {
    self.epoch = epoch
    self.globalStep = globalStep
    self.trainingLoss = trainingLoss
    self.validationMetrics = validationMetrics
    self.learningRate = learningRate
    self.seconds = seconds
  }
}

/// How a run ended.
public enum TrainingOutcome: Sendable, Equatable {
  case completed(epochs: Int)
  case stoppedEarly(epoch: Int, reason: String)
  case diverged(epoch: Int, step: Int, reason: String)
}

/// Whether training goes on after a callback has seen an event.
public enum TrainingDirective: Sendable, Equatable {
  case proceed
  case stop(reason: String)
}

/// Receives training events; returning `.stop` ends training after the current event.
public protocol TrainingCallback: AnyObject {
  func handle(_ event: TrainingEvent) throws -> TrainingDirective
}
