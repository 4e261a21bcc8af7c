import KilnTensor
import KilnRandom
/// The worst disagreement between analytic and finite-difference gradients.
public struct GradientCheckResult: Sendable {
  /// max |analytic − numeric| over all checked scalars.
  public var maximumAbsoluteError: Double
  /// max |analytic − numeric| / max(|analytic|, |numeric|, 1) over all checked scalars.
  public var maximumRelativeError: Double
  /// Where the worst relative error was: (input index, scalar index, analytic, numeric).
  public var worst: (input: Int, scalar: Int, analytic: Double, numeric: Double)?

  /// Whether the relative error is within `tolerance`.
  public func passes(tolerance: Double) -> Bool { maximumRelativeError <= tolerance }
}

/// Checks reverse-mode gradients against central finite differences.
///
/// The function's output is contracted with a fixed random projection r, L(x) = Σ f(x)⊙r, so every
/// output scalar contributes. For each input scalar xₖ, the numeric derivative is
/// (L(x + ε·eₖ) − L(x − ε·eₖ)) / 2ε with L accumulated in Double; its error is O(ε²) plus Float32
/// rounding of f divided by ε, so ε ≈ 1e-2…1e-3 suits Float32 functions of moderate scale.
public enum GradientChecker {
  public static func check(
    inputs: [Tensor], epsilon: Float = 1e-2, seed: UInt64 = 0,
    _ function: ([Variable]) -> Variable
  ) -> GradientCheckResult {
    let probeOutput = function(inputs.map { Variable($0) }).value
    var generator = SeededGenerator(seed: seed, stream: .gradientCheck)
    let projection = Tensor.randomUniform(shape: probeOutput.shape, lower: 0.5, upper: 1.5, using: &generator)
    let analytic = valueWithGradient(at: inputs) { variables in
      (function(variables) * projection).sum()
    }.gradients
    func projected(_ values: [Tensor]) -> Double {
      let output = function(values.map { Variable($0) }).value.scalars
      return zip(output, projection.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    var result = GradientCheckResult(maximumAbsoluteError: 0, maximumRelativeError: 0, worst: nil)
    for (inputIndex, input) in inputs.enumerated() {
      let base = input.scalars
      let analyticScalars = analytic[inputIndex].scalars
      for scalarIndex in base.indices {
        var values = inputs
        var plus = base, minus = base
        plus[scalarIndex] += epsilon
        minus[scalarIndex] -= epsilon
        values[inputIndex] = Tensor(shape: input.shape, scalars: plus)
        let upper = projected(values)
        values[inputIndex] = Tensor(shape: input.shape, scalars: minus)
        let lower = projected(values)
        let step = Double(plus[scalarIndex]) - Double(minus[scalarIndex])
        let numeric = (upper - lower) / step
        let exact = Double(analyticScalars[scalarIndex])
        let absolute = Swift.abs(exact - numeric)
        let relative = absolute / Swift.max(Swift.abs(exact), Swift.abs(numeric), 1)
        result.maximumAbsoluteError = Swift.max(result.maximumAbsoluteError, absolute)
        if relative > result.maximumRelativeError || result.worst == nil {
          result.maximumRelativeError = Swift.max(result.maximumRelativeError, relative)
          result.worst = (inputIndex, scalarIndex, exact, numeric)
        }
      }
    }
    return result
  }
}
