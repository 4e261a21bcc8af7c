import Foundation
import KilnTensor
import KilnNN
import KilnMetrics

/// A reduction's randomized mixture as a run stores and scores it (`mitigation.reductions` with
/// `predictor: mixture`): the weights in the final checkpoint's `reduction_mixture` attribute and
/// each fitted model of nonzero weight in `checkpoints/mixture-K.h5` (K its hypothesis index).
public struct ModelMixture {
  public let reduction: ReductionMixture
  /// The model of each fitted hypothesis with nonzero weight, by hypothesis index.
  let members: [Int: MLP]

  /// The member checkpoint's file name, beside the final checkpoint.
  public static func memberFileName(_ index: Int) -> String { "mixture-\(index).h5" }

  /// Each hypothesis's predictions in the head's terms (weight-0 hypotheses: nil; a constant
  /// hypothesis predicts its value for every row).
  func memberPredictions(features: [Float], rowCount: Int, inputSize: Int, head: ModelHead) -> [HeadPredictions?] {
    reduction.hypotheses.indices.map { index -> HeadPredictions? in
      guard reduction.weights[index] != 0 else { return nil }
      switch reduction.hypotheses[index] {
      case .constant(let value):
        let rows = [Double](repeating: value, count: rowCount)
        switch head {
        case .binary: return .scores(rows)
        case .regression: return .values(rows)
        case .multiclass(let classCount): return .probabilities(rows.map { _ in [Double](repeating: 1 / Double(classCount), count: classCount) })
        }
      case .fitted:
        guard let model = members[index], rowCount > 0 else { return head.predictions(fromOutputs: [], rowCount: 0) }
        return head.predictions(fromOutputs: model(Tensor(shape: [rowCount, inputSize], scalars: features)).scalars, rowCount: rowCount)
      }
    }
  }

  /// The mixture's expected output: Σₕ wₕ·(model h's score, probabilities or value). Binary
  /// models report it as their score (ROC AUC, probability columns); decisions are randomised
  /// (`decisions`). A regression mixture predicts a drawn member's value (`drawnValues`); its
  /// expected value serves the robustness tests, which compare outputs before and after a
  /// perturbation without the draw's noise.
  func expectedPredictions(features: [Float], rowCount: Int, inputSize: Int, head: ModelHead) -> HeadPredictions {
    var scores = [Double](repeating: 0, count: rowCount)
    var probabilities = [[Double]](repeating: [Double](repeating: 0, count: head.classCount), count: rowCount)
    for (weight, predictions) in zip(reduction.weights, memberPredictions(features: features, rowCount: rowCount, inputSize: inputSize, head: head)) {
      switch predictions {
      case .scores(let values)?, .values(let values)?:
        for row in values.indices { scores[row] += weight * values[row] }
      case .probabilities(let rows)?:
        for row in rows.indices { for column in rows[row].indices { probabilities[row][column] += weight * rows[row][column] } }
      case nil: continue
      }
    }
    switch head {
    case .binary: return .scores(scores)
    case .regression: return .values(scores)
    case .multiclass: return .probabilities(probabilities)
    }
  }

  /// A binary mixture's randomised decisions (`ReductionMixture.decisions`): each member decides
  /// at 0.5, as it did when fitted, and row i is positive with probability Σₕ wₕ·ŷₕ, drawn at
  /// `rowIDs[i]` on the decision-mixing stream of `seed`.
  func decisions(features: [Float], rowCount: Int, inputSize: Int, head: ModelHead, rowIDs: [Int], seed: UInt64) -> [Int] {
    let members = memberPredictions(features: features, rowCount: rowCount, inputSize: inputSize, head: head).map { predictions -> [Double] in
      guard case .scores(let scores)? = predictions else { return [] }
      return scores.map { $0 >= 0.5 ? 1 : 0 }
    }
    return reduction.decisions(decisions: members, rowIDs: rowIDs, seed: seed)
  }

  /// A regression mixture's predictions in raw units (`ReductionMixture.drawnValues`): each row
  /// takes one member's value, drawn by its weight at `rowIDs[i]` on the decision-mixing stream
  /// of `seed`.
  func drawnValues(features: [Float], rowCount: Int, inputSize: Int, head: ModelHead, rowIDs: [Int], seed: UInt64) -> [Double] {
    let members = memberPredictions(features: features, rowCount: rowCount, inputSize: inputSize, head: head).map { predictions -> [Double] in
      guard case .values(let values)? = predictions else { return [] }
      return values
    }
    return reduction.drawnValues(values: members, rowIDs: rowIDs, seed: seed)
  }
}
