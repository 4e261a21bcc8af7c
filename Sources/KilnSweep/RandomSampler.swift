import KilnRandom
/// Independent uniform sampling: each parameter uniform in its search coordinate (so
/// log-uniform on logarithmic scales), snapped to its grid; categoricals uniform over choices.
public struct RandomSampler: Sampler {
  public init() {}

  public var handlesMultipleObjectives: Bool { true }

  public func sampleIndependent(name: String, distribution: ParameterDistribution, parameterIndex: Int,
                                context: SamplingContext) -> ParameterValue {
    var generator = context.generator(for: name)
    return RandomSampler.draw(distribution, using: &generator)
  }

  /// One uniform draw from `distribution`.
  public static func draw(_ distribution: ParameterDistribution, using generator: inout SeededGenerator) -> ParameterValue {
    if case .categorical(let choices) = distribution {
      return choices[generator.uniformIndex(below: choices.count)]
    }
    return distribution.value(atSearchCoordinate: coordinate(distribution, unit: generator.nextDouble()))
  }

  /// The search coordinate at fraction `unit` ∈ [0, 1) of a distribution's search range.
  static func coordinate(_ distribution: ParameterDistribution, unit: Double) -> Double {
    if case .categorical(let choices) = distribution {
      return Double(min(Int(unit * Double(choices.count)), choices.count - 1))
    }
    let bounds = distribution.searchBounds
    return bounds.low + unit * (bounds.high - bounds.low)
  }
}
