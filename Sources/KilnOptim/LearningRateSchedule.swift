import Foundation
import KilnHyperparameters
import KilnMetricDirection

/// A learning rate as a function of the step number (0-based), set on the optimizer before each step.
public protocol LearningRateSchedule: Sendable {
  func learningRate(atStep step: Int) -> Float
}

/// η = η₀ · γ^⌊step / stepSize⌋.
public struct StepDecay: LearningRateSchedule {
  public let initialLearningRate: Float
  public let stepSize: Int
  public let factor: Float

  public init(initialLearningRate: Float, stepSize: Int, factor: Float = 0.1) throws {
    try OptimizerConfigurationError.check(.lr, initialLearningRate)
    try OptimizerConfigurationError.check(.stepSize, Float(stepSize))
    try OptimizerConfigurationError.check(.gamma, factor)
    self.initialLearningRate = initialLearningRate
    self.stepSize = stepSize
    self.factor = factor
  }

  public func learningRate(atStep step: Int) -> Float {
    initialLearningRate * Float(Foundation.pow(Double(factor), Double(step / stepSize)))
  }
}

/// η = η₀ · γ^step.
public struct ExponentialDecay: LearningRateSchedule {
  public let initialLearningRate: Float
  public let factor: Float

  public init(initialLearningRate: Float, factor: Float) throws {
    try OptimizerConfigurationError.check(.lr, initialLearningRate)
    try OptimizerConfigurationError.check(.gamma, factor)
    self.initialLearningRate = initialLearningRate
    self.factor = factor
  }

  public func learningRate(atStep step: Int) -> Float {
    initialLearningRate * Float(Foundation.pow(Double(factor), Double(step)))
  }
}

/// Linear warm-up then cosine decay (Loshchilov & Hutter 2017, SGDR, arXiv:1608.03983):
/// η = η_peak·(step + 1)/W for step < W; then
/// η = η_min + ½(η_peak − η_min)(1 + cos(π·min(1, (step − W)/(T − W)))).
public struct CosineDecayWithWarmup: LearningRateSchedule {
  public let peakLearningRate: Float
  public let warmupSteps: Int
  public let totalSteps: Int
  public let minimumLearningRate: Float

  public init(peakLearningRate: Float, warmupSteps: Int, totalSteps: Int, minimumLearningRate: Float = 0) throws {
    try OptimizerConfigurationError.check(.lr, peakLearningRate)
    try OptimizerConfigurationError.check(.warmup, Float(warmupSteps), name: "warmup steps")
    try OptimizerConfigurationError.check("total steps", Float(totalSteps), totalSteps > warmupSteps,
                                          "must exceed the warmup steps (\(warmupSteps))")
    try OptimizerConfigurationError.check(.minLr, minimumLearningRate)
    try OptimizerConfigurationError.check("minimum learning rate", minimumLearningRate, minimumLearningRate <= peakLearningRate,
                                          "must not exceed the peak learning rate")
    self.peakLearningRate = peakLearningRate
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
    self.minimumLearningRate = minimumLearningRate
  }

  public func learningRate(atStep step: Int) -> Float {
    if step < warmupSteps { return peakLearningRate * Float(step + 1) / Float(warmupSteps) }
    let progress = Swift.min(1, Double(step - warmupSteps) / Double(totalSteps - warmupSteps))
    let cosine = 0.5 * (1 + Foundation.cos(Double.pi * progress))
    return minimumLearningRate + (peakLearningRate - minimumLearningRate) * Float(cosine)
  }
}

/// Cuts the learning rate by `factor` when a monitored metric has not improved for more than
/// `patience` consecutive evaluations (as PyTorch's ReduceLROnPlateau, relative threshold mode).
public struct ReduceLearningRateOnPlateau: Sendable {
  /// Which way the monitored metric improves (its entry in `MetricDirection`'s table).
  public let direction: MetricDirection
  public let factor: Float
  public let patience: Int
  /// Improvement means better than best·(1 ∓ threshold).
  public let threshold: Float
  public let minimumLearningRate: Float
  /// The current learning rate.
  public private(set) var learningRate: Float
  public private(set) var best: Float?
  public private(set) var badEvaluations = 0

  public init(
    learningRate: Float, direction: MetricDirection = .minimize, factor: Float = 0.1, patience: Int = 10,
    threshold: Float = 1e-4, minimumLearningRate: Float = 0
  ) throws {
    try OptimizerConfigurationError.check(.lr, learningRate)
    try OptimizerConfigurationError.check(.gamma, factor)
    try OptimizerConfigurationError.check("factor", factor, factor < 1, "must be below 1, or the rate never falls")
    try OptimizerConfigurationError.check(.patience, Float(patience))
    try OptimizerConfigurationError.check("threshold", threshold, threshold >= 0, "must be ≥ 0")
    try OptimizerConfigurationError.check(.minLr, minimumLearningRate)
    self.learningRate = learningRate
    self.direction = direction
    self.factor = factor
    self.patience = patience
    self.threshold = threshold
    self.minimumLearningRate = minimumLearningRate
  }

  /// Restores the state saved in a checkpoint, so a resumed run decays exactly as an uninterrupted one.
  public mutating func restore(learningRate: Float, best: Float?, badEvaluations: Int) {
    precondition(badEvaluations >= 0, "ReduceLearningRateOnPlateau: badEvaluations \(badEvaluations) must be ≥ 0")
    self.learningRate = learningRate
    self.best = best
    self.badEvaluations = badEvaluations
  }

  /// Records one evaluation of the metric and returns the learning rate to use next.
  @discardableResult
  public mutating func record(_ metric: Float) -> Float {
    let improved: Bool
    if let best {
      improved = direction == .minimize
        ? metric < best - Swift.abs(best) * threshold
        : metric > best + Swift.abs(best) * threshold
    } else {
      improved = true
    }
    if improved {
      best = metric
      badEvaluations = 0
    } else {
      badEvaluations += 1
      if badEvaluations > patience {
        learningRate = Swift.max(learningRate * factor, minimumLearningRate)
        badEvaluations = 0
      }
    }
    return learningRate
  }
}
