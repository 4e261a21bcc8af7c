import KilnNN
import KilnTensor
import KilnAutograd
import Foundation
import KilnData
import KilnOptim
import KilnConfiguration

/// What the network's outputs mean and which loss trains them, by label kind.
///
/// - binary: one logit, binary cross-entropy; P(class 1) = σ(z).
/// - multiclass: K logits, softmax cross-entropy; P(class k) = softmax(z)ₖ.
/// - regression: one output trained with mean squared error on standardised targets
///   z = (y − μ) / σ (μ, σ the train split's mean and population standard deviation, kept in the
///   checkpoint); the prediction in the target's raw units is ŷ = μ + σ·output.
public enum ModelHead: Equatable, Sendable {
  case binary
  case multiclass(classCount: Int)
  case regression(mean: Double, scale: Double)

  public var labelKind: LabelKind {
    switch self {
    case .binary: return .binary
    case .multiclass: return .multiclass
    case .regression: return .regression
    }
  }

  /// 2 for binary, K for multiclass, 0 for regression.
  public var classCount: Int {
    switch self {
    case .binary: return 2
    case .multiclass(let count): return count
    case .regression: return 0
    }
  }

  /// Outputs of the network's last layer.
  public var outputSize: Int {
    if case .multiclass(let count) = self { return count }
    return 1
  }

  /// The head for an open dataset: its label kind, classes and (regression) train-split statistics.
  package static func forDataset(_ dataset: KilnDataset) throws -> ModelHead {
    let metadata = dataset.metadata
    switch metadata.labelKind {
    case .regression:
      let targets = try dataset.targets(split: "train").map(Double.init)
      let mean = targets.isEmpty ? 0 : targets.reduce(0, +) / Double(targets.count)
      let variance = targets.isEmpty ? 0 : targets.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(targets.count)
      let scale = variance.squareRoot()
      return .regression(mean: mean, scale: scale > 0 && scale.isFinite ? scale : 1)
    case .binary, .multiclass:
      guard metadata.classes.count >= 2 else {
        throw TrainingError(.dataset, "\(metadata.header.name) has \(metadata.classes.count) label classes; a classifier needs at least 2")
      }
      return metadata.classes.count == 2 ? .binary : .multiclass(classCount: metadata.classes.count)
    }
  }

  /// The training loss of a batch (a differentiable scalar): a weighted mean Σwᵢlᵢ / Σwᵢ when the
  /// rows carry weights (reweighing), or Σwᵢlᵢ with `reduction: .sum` (a reduction's learner,
  /// whose weights already hold the batch's share of a globally weighted objective).
  func loss(outputs: Variable, batch: Batch, weights: Tensor? = nil, reduction: LossReduction = .mean) -> Variable {
    switch self {
    case .binary:
      return binaryCrossEntropy(logits: outputs, labels: Tensor(shape: [batch.rowCount, 1], scalars: batch.labelValues),
                                weights: weights, reduction: reduction)
    case .multiclass:
      return softmaxCrossEntropy(logits: outputs, labels: Tensor(shape: [batch.rowCount], scalars: batch.labelValues),
                                 weights: weights, reduction: reduction)
    case .regression(let mean, let scale):
      let standardized = batch.targets.map { Float((Double($0) - mean) / scale) }
      return meanSquaredError(predictions: outputs, targets: Tensor(shape: [batch.rowCount, 1], scalars: standardized),
                              weights: weights, reduction: reduction)
    }
  }

  /// What a batch of the network's raw outputs (row-major, `outputSize` per row) predicts: P(class 1)
  /// = σ(z) per row (binary), softmax(z) per row (multiclass, shifted by max z), or μ + σ·output in
  /// the target's raw units (regression). The one place outputs become scores, probabilities or values.
  public func predictions(fromOutputs outputs: [Float], rowCount: Int) -> HeadPredictions {
    precondition(outputs.count == rowCount * outputSize,
                 "predictions(fromOutputs:): \(outputs.count) outputs are not \(rowCount) rows of \(outputSize)")
    switch self {
    case .binary:
      return .scores(outputs.map { 1 / (1 + Foundation.exp(-Double($0))) })
    case .multiclass(let classCount):
      return .probabilities((0..<rowCount).map { row in
        let values = outputs[(row * classCount)..<((row + 1) * classCount)].map(Double.init)
        let largest = values.max() ?? 0
        let exponentials = values.map { Foundation.exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
      })
    case .regression:
      return .values(outputs.map { prediction(fromOutput: $0) })
    }
  }

  /// A regression output in the target's raw units.
  func prediction(fromOutput output: Float) -> Double {
    guard case .regression(let mean, let scale) = self else { preconditionFailure("prediction(fromOutput:): the head is \(self), not regression") }
    return mean + scale * Double(output)
  }
}

/// A batch's predictions in the terms of the head that made them (`ModelHead.predictions(fromOutputs:rowCount:)`).
public enum HeadPredictions: Sendable {
  /// Binary: P(class 1) per row.
  case scores([Double])
  /// Multiclass: each row's class probabilities, in class-code order.
  case probabilities([[Double]])
  /// Regression: each row's prediction in the target's raw units.
  case values([Double])
}
