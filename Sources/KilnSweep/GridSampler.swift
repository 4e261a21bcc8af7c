import KilnRandom
/// Exhaustive search over a Cartesian grid of given values.
///
/// Trial `n` takes grid point `n` (or point `permutation[n]` when `shuffled`, with the
/// permutation drawn from the study seed), so the first `gridSize` trials cover the grid exactly
/// once, whatever the number of workers. Points are enumerated in mixed radix over the parameter
/// names in sorted order, the last name varying fastest. `trialLimit` is the grid size, and a
/// study stops there. Asking for a parameter that is not in the grid is a programmer mistake.
public struct GridSampler: Sampler {
  /// The values of each parameter.
  public let space: [String: [ParameterValue]]
  /// Whether trials visit the grid in a seeded random order instead of the enumeration order.
  public let shuffled: Bool
  private let names: [String]

  public init(space: [String: [ParameterValue]], shuffled: Bool = false) {
    for (name, values) in space {
      precondition(!values.isEmpty, "GridSampler: parameter \(name) has no grid values")
    }
    self.space = space
    self.shuffled = shuffled
    self.names = space.keys.sorted()
  }

  /// The number of grid points.
  public var gridSize: Int { names.reduce(1) { $0 * space[$1]!.count } }

  public var trialLimit: Int? { gridSize }

  public var handlesMultipleObjectives: Bool { true }

  public func sampleIndependent(name: String, distribution: ParameterDistribution, parameterIndex: Int,
                                context: SamplingContext) -> ParameterValue {
    guard let values = space[name], let position = names.firstIndex(of: name) else {
      preconditionFailure("GridSampler: parameter \(name) is not in the grid \(names)")
    }
    let point = gridPoint(forTrial: context.trialNumber, seed: context.seed)
    let value = distribution.coerced(values[point[position]])
    precondition(distribution.contains(value),
                 "GridSampler: grid value \(value) of \(name) is outside its distribution \(distribution)")
    return value
  }

  /// The value index of each parameter (in sorted name order) at the trial's grid point.
  public func gridPoint(forTrial number: Int, seed: UInt64) -> [Int] {
    var index = number % gridSize
    if shuffled {
      var order = Array(0..<gridSize)
      var generator = SeededGenerator(seed: seed, stream: .sweep(trial: 0, label: "grid"))
      generator.shuffle(&order)
      index = order[index]
    }
    var digits = Array(repeating: 0, count: names.count)
    for position in names.indices.reversed() {
      let radix = space[names[position]]!.count
      digits[position] = index % radix
      index /= radix
    }
    return digits
  }
}
