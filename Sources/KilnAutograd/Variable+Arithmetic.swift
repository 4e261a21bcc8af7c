import KilnTensor
// Differentiable arithmetic. Each primitive computes its forward value with a `Tensor` operation
// and records itself; composites are written in terms of primitives and record nothing themselves.

extension Variable {
  public static func + (lhs: Variable, rhs: Variable) -> Variable {
    Tape.record(.add(lhsShape: lhs.shape, rhsShape: rhs.shape), inputs: [lhs, rhs], output: lhs.value + rhs.value)
  }
  public static func - (lhs: Variable, rhs: Variable) -> Variable {
    Tape.record(.subtract(lhsShape: lhs.shape, rhsShape: rhs.shape), inputs: [lhs, rhs], output: lhs.value - rhs.value)
  }
  public static func * (lhs: Variable, rhs: Variable) -> Variable {
    Tape.record(.multiply(lhs: lhs.value, rhs: rhs.value), inputs: [lhs, rhs], output: lhs.value * rhs.value)
  }
  public static func / (lhs: Variable, rhs: Variable) -> Variable {
    Tape.record(.divide(lhs: lhs.value, rhs: rhs.value), inputs: [lhs, rhs], output: lhs.value / rhs.value)
  }
  public static prefix func - (operand: Variable) -> Variable {
    Tape.record(.negate, inputs: [operand], output: -operand.value)
  }
  /// x·c for a constant scalar c.
  public static func * (lhs: Variable, rhs: Float) -> Variable {
    Tape.record(.scale(rhs), inputs: [lhs], output: lhs.value * rhs)
  }

  // Composites.
  public static func * (lhs: Float, rhs: Variable) -> Variable { rhs * lhs }
  public static func / (lhs: Variable, rhs: Float) -> Variable { lhs * (1 / rhs) }
  public static func + (lhs: Variable, rhs: Float) -> Variable { lhs + Variable(Tensor(rhs)) }
  public static func - (lhs: Variable, rhs: Float) -> Variable { lhs + Variable(Tensor(-rhs)) }
  public static func + (lhs: Float, rhs: Variable) -> Variable { rhs + lhs }
  public static func - (lhs: Float, rhs: Variable) -> Variable { -rhs + lhs }
  public static func + (lhs: Variable, rhs: Tensor) -> Variable { lhs + Variable(rhs) }
  public static func - (lhs: Variable, rhs: Tensor) -> Variable { lhs - Variable(rhs) }
  public static func * (lhs: Variable, rhs: Tensor) -> Variable { lhs * Variable(rhs) }
  public static func / (lhs: Variable, rhs: Tensor) -> Variable { lhs / Variable(rhs) }

  /// eˣ.
  public func exp() -> Variable {
    let output = value.exp()
    return Tape.record(.exp(output: output), inputs: [self], output: output)
  }
  /// Natural logarithm.
  public func log() -> Variable { Tape.record(.log(input: value), inputs: [self], output: value.log()) }
  /// √x.
  public func squareRoot() -> Variable {
    let output = value.squareRoot()
    return Tape.record(.squareRoot(output: output), inputs: [self], output: output)
  }
  /// xᵖ for a constant exponent.
  public func pow(_ exponent: Float) -> Variable {
    Tape.record(.power(input: value, exponent: exponent), inputs: [self], output: value.pow(exponent))
  }
  /// |x|.
  public func abs() -> Variable { Tape.record(.abs(input: value), inputs: [self], output: value.abs()) }
  /// x limited to [lower, upper]; the gradient is zero outside.
  public func clamped(lower: Float, upper: Float) -> Variable {
    Tape.record(.clamp(input: value, lower: lower, upper: upper), inputs: [self],
                output: value.clamped(lower: lower, upper: upper))
  }
  /// max(x, 0).
  public func relu() -> Variable {
    let output = value.relu()
    return Tape.record(.relu(output: output), inputs: [self], output: output)
  }
  /// x for x > 0, slope·x otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Variable {
    Tape.record(.leakyRelu(input: value, slope: slope), inputs: [self], output: value.leakyRelu(slope: slope))
  }
  /// x·Φ(x) (exact GELU).
  public func gelu() -> Variable { Tape.record(.gelu(input: value), inputs: [self], output: value.gelu()) }
  /// 1/(1 + e⁻ˣ).
  public func sigmoid() -> Variable {
    let output = value.sigmoid()
    return Tape.record(.sigmoid(output: output), inputs: [self], output: output)
  }
  /// Hyperbolic tangent.
  public func tanh() -> Variable {
    let output = value.tanh()
    return Tape.record(.tanh(output: output), inputs: [self], output: output)
  }
  /// The larger operand, scalar by scalar (broadcasting).
  public func maximum(_ other: Variable) -> Variable {
    Tape.record(.maximum(lhs: value, rhs: other.value), inputs: [self, other], output: value.maximum(other.value))
  }
  /// The smaller operand, scalar by scalar (broadcasting).
  public func minimum(_ other: Variable) -> Variable {
    Tape.record(.minimum(lhs: value, rhs: other.value), inputs: [self, other], output: value.minimum(other.value))
  }
  /// `a` where `condition` is non-zero, else `b`; the condition gets no gradient.
  public static func `where`(_ condition: Tensor, _ a: Variable, _ b: Variable) -> Variable {
    Tape.record(.select(condition: condition, lhsShape: a.shape, rhsShape: b.shape),
                inputs: [Variable(condition), a, b], output: Tensor.where(condition, a.value, b.value))
  }
}
