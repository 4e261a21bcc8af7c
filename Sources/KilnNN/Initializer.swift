import KilnTensor
import KilnRandom
/// How a weight matrix [fanOut, fanIn] is initialised; all draws come from an injected generator.
public enum Initializer: String, Sendable, Codable {
  /// U(−b, b) with b = √(6 / fanIn) (He et al. 2015, arXiv:1502.01852), for ReLU-family layers.
  case kaimingUniform
  /// N(0, 2 / fanIn) (He et al. 2015).
  case kaimingNormal
  /// U(−b, b) with b = √(6 / (fanIn + fanOut)) (Glorot & Bengio 2010), for tanh/sigmoid layers.
  case xavierUniform
  /// N(0, 2 / (fanIn + fanOut)) (Glorot & Bengio 2010).
  case xavierNormal
  /// All zeros.
  case zeros

  /// A tensor of `shape` ([fanOut, fanIn, …]) drawn by this rule.
  public func tensor(shape: [Int], using generator: inout SeededGenerator) -> Tensor {
    let fanOut = Float(shape.first ?? 1)
    let fanIn = Float(Swift.max(shape.dropFirst().reduce(1, *), 1))
    switch self {
    case .kaimingUniform:
      let bound = (6 / fanIn).squareRoot()
      return Tensor.randomUniform(shape: shape, lower: -bound, upper: bound, using: &generator)
    case .kaimingNormal:
      return Tensor.randomNormal(shape: shape, standardDeviation: (2 / fanIn).squareRoot(), using: &generator)
    case .xavierUniform:
      let bound = (6 / (fanIn + fanOut)).squareRoot()
      return Tensor.randomUniform(shape: shape, lower: -bound, upper: bound, using: &generator)
    case .xavierNormal:
      return Tensor.randomNormal(shape: shape, standardDeviation: (2 / (fanIn + fanOut)).squareRoot(),
                                 using: &generator)
    case .zeros:
      return Tensor.zeros(shape: shape)
    }
  }
}
