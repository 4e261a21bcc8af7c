import KilnRobustness
import KilnTraining
import KilnMetrics

/// A model as evaluation, monitoring and comparison take it: its head (binary, multi-class or
/// regression) says what its outputs mean, and it predicts in those terms. A `TrainedModel` is
/// one.
public protocol EvaluatedModel: RobustnessModel {
  var head: ModelHead { get }
  /// Class probabilities per row (classification models).
  func classProbabilities(features: [Float], rowCount: Int) -> [[Double]]
  /// Predictions in the target's raw units (regression models).
  func regressionPredictions(features: [Float], rowCount: Int) -> [Double]
  /// Group-specific decision thresholds that replace the single threshold (binary models).
  var groupThresholds: GroupThresholds? { get }
  /// A reduction's seeded randomised decisions (binary models with a mixture; nil otherwise).
  func mixtureDecisions(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Int]?
  /// A reduction's seeded drawn predictions (regression models with a mixture; nil otherwise).
  func mixtureValues(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Double]?
}

extension EvaluatedModel {
  public var groupThresholds: GroupThresholds? { nil }
  public func mixtureDecisions(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Int]? { nil }
  public func mixtureValues(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Double]? { nil }
}

extension TrainedModel: EvaluatedModel {}

extension ModelHead {
  /// Regression targets in the units of the network's output (what a gradient attack compares
  /// with): (y − μ) / σ with the train split's standardisation; other heads' targets unchanged.
  func outputUnits(targets: [Float]) -> [Float] {
    guard case .regression(let mean, let scale) = self else { return targets }
    return targets.map { Float((Double($0) - mean) / scale) }
  }
}
