import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN

/// An L∞ evasion attack driven by input gradients of the model's loss — binary cross-entropy,
/// softmax cross-entropy (multi-class) or squared error (regression) — constrained to the
/// encoding: only mutable standardised numerics move.
///
/// One-hot groups and missing-value indicators are left as they are. Any change of category moves
/// two columns by 1, an L∞ step of size 1, which is outside every budget ε < 1 this attack is used
/// with; leaving them keeps each group a valid one-hot without a projection. Immutable features
/// (the sensitive attributes by default) never change. Numerics are not clipped to a range: the
/// encoding stores no bounds, and standardised values have none.
///
/// - FGSM (Goodfellow et al., arXiv:1412.6572): x' = x + ε·sign(∇ₓ L(f(x), y)) on the mask.
/// - PGD (Madry et al., arXiv:1706.06083): start at x + U(−ε, ε) (random start) or x, then
///   repeat x ← Π_{‖x′−x‖∞ ≤ ε}(x + α·sign(∇ₓ L)) for `steps` steps.
public struct GradientAttack: Sendable, Equatable {
  public enum Method: Sendable, Equatable {
    case fgsm
    /// `stepSize` α defaults to ε/4.
    case pgd(steps: Int, stepSize: Double?, randomStart: Bool)
  }

  /// The loss the attack maximises.
  public enum Objective: Sendable, Equatable {
    /// One logit per row against labels 0 or 1.
    case binaryCrossEntropy
    /// K logits per row against class codes.
    case softmaxCrossEntropy
    /// One output per row against targets in the output's units: maximising (f(x) − y)² pushes
    /// each prediction away from its target.
    case squaredError
  }

  public var method: Method
  /// The L∞ budget ε, in standard deviations of the standardised numerics.
  public var epsilon: Double
  /// Rows per gradient evaluation.
  public var batchSize: Int

  public init(method: Method, epsilon: Double, batchSize: Int = 2048) {
    precondition(epsilon >= 0, "GradientAttack: epsilon \(epsilon) is negative")
    precondition(batchSize >= 1, "GradientAttack: batch size \(batchSize) must be at least 1")
    if case .pgd(let steps, let stepSize, _) = method {
      precondition(steps >= 1, "GradientAttack.pgd: steps \(steps) must be at least 1")
      precondition(stepSize.map { $0 > 0 } ?? true, "GradientAttack.pgd: step size \(stepSize!) must be positive")
    }
    self.method = method
    self.epsilon = epsilon
    self.batchSize = batchSize
  }

  /// The name used in metric names: `fgsm_0.05`, `pgd_0.05`.
  public var name: String {
    switch method {
    case .fgsm: return "fgsm_\(epsilon)"
    case .pgd: return "pgd_\(epsilon)"
    }
  }

  /// The adversarial copy of `features`, which maximises the loss against `labels` (0 or 1).
  public func adversarialExamples<Model: RobustnessModel>(
    features: [Float], labels: [Int32], rowCount: Int, layout: FeatureLayout, model: Model,
    using generator: inout SeededGenerator
  ) -> [Float] {
    adversarialExamples(features: features, targets: labels.map(Float.init), objective: .binaryCrossEntropy, rowCount: rowCount,
                        layout: layout, model: model, using: &generator)
  }

  /// The adversarial copy of `features`, which maximises `objective` against `targets` (labels 0
  /// or 1, class codes, or regression targets in the model's output units).
  public func adversarialExamples<Model: RobustnessModel>(
    features: [Float], targets: [Float], objective: Objective, rowCount: Int, layout: FeatureLayout, model: Model,
    using generator: inout SeededGenerator
  ) -> [Float] {
    let width = layout.featureCount
    precondition(features.count == rowCount * width,
                 "GradientAttack: \(features.count) values do not fill \(rowCount) rows × \(width) features")
    precondition(targets.count == rowCount, "GradientAttack: \(targets.count) labels for \(rowCount) rows")
    let mask = layout.attackMask
    let movable = mask.indices.filter { mask[$0] == 1 }
    var result = features
    guard !movable.isEmpty, epsilon > 0 else { return result }
    var start = 0
    while start < rowCount {
      let end = min(start + batchSize, rowCount)
      let range = (start * width)..<(end * width)
      let batch = attack(Array(features[range]), targets: Array(targets[start..<end]), objective: objective, rows: end - start,
                         width: width, movable: movable, model: model, generator: &generator)
      result.replaceSubrange(range, with: batch)
      start = end
    }
    return result
  }

  private func attack<Model: RobustnessModel>(
    _ clean: [Float], targets: [Float], objective: Objective, rows: Int, width: Int, movable: [Int], model: Model,
    generator: inout SeededGenerator
  ) -> [Float] {
    let eps = Float(epsilon)
    let targetTensor = Tensor(shape: [rows, 1], scalars: targets)
    let classes = targets.map { Int($0) }
    func lossGradient(_ x: [Float]) -> [Float] {
      gradient(at: Tensor(shape: [rows, width], scalars: x)) { input in
        switch objective {
        case .binaryCrossEntropy:
          return binaryCrossEntropyWithLogits(logits: model.logits(input), labels: targetTensor, reduction: .sum)
        case .softmaxCrossEntropy:
          return softmaxCrossEntropyWithLogits(logits: model.logits(input), labels: classes, reduction: .sum)
        case .squaredError:
          return meanSquaredError(predictions: model.logits(input), targets: targetTensor, reduction: .sum)
        }
      }.scalars
    }
    var current = clean
    switch method {
    case .fgsm:
      let g = lossGradient(current)
      for row in 0..<rows {
        for column in movable { current[row * width + column] += eps * Self.sign(g[row * width + column]) }
      }
    case .pgd(let steps, let stepSize, let randomStart):
      let alpha = Float(stepSize ?? epsilon / 4)
      if randomStart {
        for row in 0..<rows {
          for column in movable { current[row * width + column] += eps * (2 * generator.nextFloat() - 1) }
        }
      }
      for _ in 0..<steps {
        let g = lossGradient(current)
        for row in 0..<rows {
          for column in movable {
            let index = row * width + column
            let moved = current[index] + alpha * Self.sign(g[index])
            current[index] = min(max(moved, clean[index] - eps), clean[index] + eps)
          }
        }
      }
    }
    return current
  }

  /// sign(g) with sign(0) = 0, as `np.sign` (a zero gradient moves nothing).
  static func sign(_ value: Float) -> Float { value > 0 ? 1 : value < 0 ? -1 : 0 }
}
