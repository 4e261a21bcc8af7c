import KilnTensor
import KilnAutograd
import Foundation
import KilnNN

/// A binary classifier as robustness tests see it: probabilities for a feature matrix, and its
/// logits as a `Variable` so input gradients can be taken (FGSM, PGD).
///
/// Kept to these two calls so this module does not depend on how models are trained or stored.
public protocol RobustnessModel {
  /// P(label 1) for each row of the row-major `features` (`rowCount × featureCount`).
  func positiveProbabilities(features: [Float], rowCount: Int) -> [Double]
  /// The logits `[N, 1]` for the input `[N, featureCount]`; with a tracked input the result is
  /// differentiable with respect to it.
  func logits(_ input: Variable) -> Variable
}

/// A model given as two closures.
public struct ClosureModel: RobustnessModel {
  let probabilities: ([Float], Int) -> [Double]
  let logitFunction: (Variable) -> Variable

  /// - Parameters:
  ///   - probabilities: P(label 1) per row for row-major features and a row count.
  ///   - logits: the logits `[N, 1]` of an input `[N, D]`, differentiable in the input.
  public init(probabilities: @escaping ([Float], Int) -> [Double], logits: @escaping (Variable) -> Variable) {
    self.probabilities = probabilities
    self.logitFunction = logits
  }

  /// A model from a logit function alone: probabilities are σ(logit).
  public init(logits: @escaping (Variable) -> Variable) {
    self.init(probabilities: { features, rowCount in
      let columns = rowCount == 0 ? 0 : features.count / rowCount
      let output = logits(Variable(Tensor(shape: [rowCount, columns], scalars: features))).value.scalars
      return output.map { 1 / (1 + Foundation.exp(-Double($0))) }
    }, logits: logits)
  }

  public func positiveProbabilities(features: [Float], rowCount: Int) -> [Double] { probabilities(features, rowCount) }
  public func logits(_ input: Variable) -> Variable { logitFunction(input) }
}

extension MLP: RobustnessModel {
  /// σ(logit) of the single output, computed without recording anything.
  public func positiveProbabilities(features: [Float], rowCount: Int) -> [Double] {
    guard rowCount > 0 else { return [] }
    let output: Tensor = self(Tensor(shape: [rowCount, features.count / rowCount], scalars: features))
    precondition(output.scalarCount == rowCount,
                 "positiveProbabilities: the model gives \(output.scalarCount) outputs for \(rowCount) rows; a binary model has one logit per row")
    return output.scalars.map { 1 / (1 + Foundation.exp(-Double($0))) }
  }

  /// The logits of `input` (parameters are constants here; gradients flow to the input only).
  public func logits(_ input: Variable) -> Variable { self(input) }
}
