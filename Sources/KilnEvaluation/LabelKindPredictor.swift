import KilnData
import KilnRobustness
import KilnConfiguration
import KilnTraining

/// A model that says what its label is and predicts accordingly (a `TrainedModel`); its
/// `logits` are the network's raw outputs (K per row, or the standardised regression output).
public protocol LabelKindPredictor: RobustnessModel {
  var labelKind: LabelKind { get }
  /// Class probabilities per row (classification models).
  func classProbabilities(features: [Float], rowCount: Int) -> [[Double]]
  /// Predictions in the target's raw units (regression models).
  func regressionPredictions(features: [Float], rowCount: Int) -> [Double]
  /// Regression targets in the units of the network's output (what a gradient attack compares with).
  func outputUnits(targets: [Float]) -> [Float]
}

extension TrainedModel: LabelKindPredictor {
  /// (y − μ) / σ with the head's train-split standardisation; classification targets unchanged.
  public func outputUnits(targets: [Float]) -> [Float] {
    guard case .regression(let mean, let scale) = head else { return targets }
    return targets.map { Float((Double($0) - mean) / scale) }
  }
}
