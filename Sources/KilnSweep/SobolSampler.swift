import KilnRandom
/// Quasi-Monte Carlo sampling on a Sobol sequence (Sobol 1967), with Joe–Kuo direction numbers
/// for up to 100 dimensions.
///
/// Trial `n` takes point `n` of the sequence (in natural order: xₙ = ⊕ over the set bits i of n
/// of vᵢ₊₁, on 32 bits), and the `k`-th distinct parameter a trial asks for takes dimension `k`,
/// so a fixed search space gets a low-discrepancy design whatever the number of workers.
/// A parameter beyond dimension 100 is drawn uniformly at random instead.
///
/// Scrambling (default on) applies a random linear matrix scramble and a random digital shift
/// per dimension (Matoušek 1998; Owen 2003, "Variance with alternative scramblings of digital
/// nets"), drawn from the study seed: the points stay a digital net, and each is uniform on the
/// unit cube, which makes the sequence's first point not the origin and estimates unbiased.
public struct SobolSampler: Sampler {
  public let scrambled: Bool

  public init(scrambled: Bool = true) {
    self.scrambled = scrambled
  }

  public var handlesMultipleObjectives: Bool { true }

  public func sampleIndependent(name: String, distribution: ParameterDistribution, parameterIndex: Int,
                                context: SamplingContext) -> ParameterValue {
    guard parameterIndex < SobolDirectionNumbers.dimensionCount else {
      var generator = context.generator(for: name)
      return RandomSampler.draw(distribution, using: &generator)
    }
    let unit = point(index: context.trialNumber, dimension: parameterIndex, seed: context.seed)
    return distribution.value(atSearchCoordinate: RandomSampler.coordinate(distribution, unit: unit))
  }

  /// Coordinate `dimension` of point `index`, in [0, 1).
  public func point(index: Int, dimension: Int, seed: UInt64) -> Double {
    var directions = SobolDirectionNumbers.directions(dimension: dimension)
    var shift: UInt32 = 0
    if scrambled {
      var generator = SeededGenerator(seed: seed, stream: .sweep(trial: dimension, label: "sobol-scramble"))
      directions = SobolSampler.linearMatrixScrambled(directions, using: &generator)
      shift = UInt32(truncatingIfNeeded: generator.next() >> 32)
    }
    var bits = shift
    var remaining = UInt64(index) & 0xFFFF_FFFF
    var k = 0
    while remaining != 0 {
      if remaining & 1 == 1 { bits ^= directions[k] }
      remaining >>= 1
      k += 1
    }
    // The half-cell offset keeps points off 0 exactly; still in [0, 1).
    return (Double(bits) + 0.5) / 4_294_967_296.0
  }

  /// The direction numbers multiplied by a random lower-triangular binary matrix with a unit
  /// diagonal, digits read most significant first: digit i of the result is digit i of the input
  /// plus a random combination of digits 0 … i−1 (mod 2).
  static func linearMatrixScrambled(_ directions: [UInt32], using generator: inout SeededGenerator) -> [UInt32] {
    var rows = [UInt32](repeating: 0, count: 32)
    for digit in 0..<32 {
      let above: UInt32 = digit == 0 ? 0 : ~UInt32(0) << UInt32(32 - digit)
      let random = UInt32(truncatingIfNeeded: generator.next() >> 32)
      rows[digit] = (random & above) | (UInt32(1) << UInt32(31 - digit))
    }
    return directions.map { direction in
      var result: UInt32 = 0
      for digit in 0..<32 where (rows[digit] & direction).nonzeroBitCount & 1 == 1 {
        result |= UInt32(1) << UInt32(31 - digit)
      }
      return result
    }
  }
}
