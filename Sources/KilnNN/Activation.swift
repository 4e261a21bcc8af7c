import KilnAutograd
/// An elementwise non-linearity, usable as a parameter-free layer.
public enum Activation: String, Sendable, Codable, CaseIterable, Layer {
  case relu, leakyRelu, gelu, sigmoid, tanh, identity

  public func callAsFunction(_ input: Variable) -> Variable {
    switch self {
    case .relu: return input.relu()
    case .leakyRelu: return input.leakyRelu()
    case .gelu: return input.gelu()
    case .sigmoid: return input.sigmoid()
    case .tanh: return input.tanh()
    case .identity: return input
    }
  }

  /// The initializer that keeps activations' variance stable through this non-linearity.
  public var preferredInitializer: Initializer {
    switch self {
    case .relu, .leakyRelu, .gelu: return .kaimingUniform
    case .sigmoid, .tanh, .identity: return .xavierUniform
    }
  }

  public func visitParameters(prefix: String, _ visit: (String, inout Variable) -> Void) {}
}
