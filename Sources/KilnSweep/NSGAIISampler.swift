import Foundation
import KilnMetricDirection
import KilnRandom

/// NSGA-II, the elitist multi-objective genetic algorithm of Deb, Pratap, Agarwal & Meyarivan,
/// "A Fast and Elitist Multiobjective Genetic Algorithm: NSGA-II", IEEE TEC 6(2), 2002.
///
/// Trials form generations of `populationSize` by number: trial n belongs to generation
/// ⌊n / populationSize⌋. Generation 0 is drawn uniformly at random. The parents of generation
/// g are the `populationSize` best of (the parents of g − 1) ∪ (the complete trials of g − 1),
/// best by non-domination rank and then crowding distance (`Pareto.select`). Each child:
/// - two parents, each the winner of a binary tournament by crowded comparison (lower rank,
///   then larger crowding distance);
/// - with probability `crossoverProbability`, crossover: simulated binary crossover (SBX, Deb &
///   Agrawal 1995, distribution index η_c) on numeric parameters in their search coordinate
///   (the logarithm on log scales), or uniform crossover; categorical parameters take either
///   parent's choice. Otherwise the child copies the first parent;
/// - each parameter then mutates with probability `mutationProbability` (1/parameters by
///   default): polynomial mutation (Deb & Goyal 1996, distribution index η_m) of a numeric one,
///   a fresh uniform draw of a categorical one (or of any, with `Mutation.resample`).
/// Parameters outside the parents' common search space (conditional ones) are drawn uniformly.
///
/// Determinism: the parents of a generation depend only on the trials of earlier generations,
/// and draws come from `SamplingContext.generator(for:)`. Run under
/// `Study.Synchronization.batches(of: populationSize)`, each generation waits for the previous
/// one, so the sweep is the same at any worker count.
///
/// Optuna's `NSGAIISampler` defaults to uniform crossover and resampling mutation; the defaults
/// here are the paper's (SBX with η_c = 20, polynomial mutation with η_m = 20), which BENCHMARKS.md
/// compares with Optuna's on the ZDT problems.
public struct NSGAIISampler: Sampler {
  public enum Crossover: String, Codable, Hashable, Sendable {
    /// Simulated binary crossover of numeric parameters.
    case simulatedBinary = "sbx"
    /// Each parameter from either parent with probability `swappingProbability`.
    case uniform
  }

  public enum Mutation: String, Codable, Hashable, Sendable {
    /// Polynomial mutation of numeric parameters, a uniform redraw of categorical ones.
    case polynomial
    /// A uniform redraw of the parameter.
    case resample
  }

  public struct Configuration: Codable, Hashable, Sendable {
    public var populationSize: Int = 50
    public var crossover: Crossover = .simulatedBinary
    public var crossoverProbability: Double = 0.9
    /// The chance that a parameter comes from the second parent in uniform crossover (and for
    /// categorical parameters under SBX).
    public var swappingProbability: Double = 0.5
    public var crossoverDistributionIndex: Double = 20
    public var mutation: Mutation = .polynomial
    /// The chance that each parameter mutates; nil means 1 / (number of parameters).
    public var mutationProbability: Double? = nil
    public var mutationDistributionIndex: Double = 20

    public init(populationSize: Int = 50, crossover: Crossover = .simulatedBinary, crossoverProbability: Double = 0.9,
                swappingProbability: Double = 0.5, crossoverDistributionIndex: Double = 20,
                mutation: Mutation = .polynomial, mutationProbability: Double? = nil,
                mutationDistributionIndex: Double = 20) {
      precondition(populationSize >= 2, "NSGAIISampler: populationSize \(populationSize) must be at least 2")
      precondition((0...1).contains(crossoverProbability), "NSGAIISampler: crossoverProbability must be in [0, 1]")
      precondition((0...1).contains(swappingProbability), "NSGAIISampler: swappingProbability must be in [0, 1]")
      precondition(mutationProbability.map { (0...1).contains($0) } ?? true,
                   "NSGAIISampler: mutationProbability must be in [0, 1]")
      precondition(crossoverDistributionIndex >= 0 && mutationDistributionIndex >= 0,
                   "NSGAIISampler: distribution indices must not be negative")
      self.populationSize = populationSize
      self.crossover = crossover
      self.crossoverProbability = crossoverProbability
      self.swappingProbability = swappingProbability
      self.crossoverDistributionIndex = crossoverDistributionIndex
      self.mutation = mutation
      self.mutationProbability = mutationProbability
      self.mutationDistributionIndex = mutationDistributionIndex
    }
  }

  public let configuration: Configuration

  public init(_ configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  public var handlesMultipleObjectives: Bool { true }

  public func sampleIndependent(name: String, distribution: ParameterDistribution, parameterIndex: Int,
                                context: SamplingContext) -> ParameterValue {
    var generator = context.generator(for: name)
    return RandomSampler.draw(distribution, using: &generator)
  }

  public func sampleRelative(context: SamplingContext) -> [String: (value: ParameterValue, distribution: ParameterDistribution)] {
    let generation = context.trialNumber / configuration.populationSize
    guard generation > 0 else { return [:] }
    let parents = parentPopulation(generation: generation, history: context.history, directions: context.directions)
    let space = TPESampler.intersectionSearchSpace(parents)
    guard !space.isEmpty else { return [:] }
    let points = parents.map { $0.values ?? [] }
    let rank = Pareto.ranks(points, directions: context.directions)
    var crowding = [Double](repeating: 0, count: parents.count)
    for level in Set(rank) {
      let members = parents.indices.filter { rank[$0] == level }
      let distances = Pareto.crowdingDistances(members.map { Pareto.oriented(points[$0], context.directions) })
      for (position, member) in members.enumerated() { crowding[member] = distances[position] }
    }
    var generator = context.generator(for: "nsga2")
    let first = tournament(rank: rank, crowding: crowding, excluding: nil, using: &generator)
    let second = tournament(rank: rank, crowding: crowding, excluding: first, using: &generator)
    let crosses = generator.nextDouble() < configuration.crossoverProbability
    let mutationProbability = configuration.mutationProbability ?? 1 / Double(space.count)
    var proposals: [String: (value: ParameterValue, distribution: ParameterDistribution)] = [:]
    for (name, distribution) in space {
      guard let a = parents[first].parameters[name], let b = parents[second].parameters[name] else { continue }
      var value = crosses ? cross(a, b, distribution, using: &generator) : a
      if generator.nextDouble() < mutationProbability {
        guard configuration.mutation == .polynomial, !distribution.isCategorical,
              let mutated = mutate(value, distribution, using: &generator) else { continue }
        value = mutated
      }
      proposals[name] = (value, distribution)
    }
    return proposals
  }

  /// The parents of `generation`: elitist selection over the generations before it.
  func parentPopulation(generation: Int, history: [TrialRecord], directions: [MetricDirection]) -> [TrialRecord] {
    let size = configuration.populationSize
    let complete = history.filter { $0.state == .complete && $0.values?.count == directions.count }
    var parents: [TrialRecord] = []
    for earlier in 0..<generation {
      let pool = parents + complete.filter { $0.number / size == earlier }
      parents = Pareto.select(size, from: pool.map { $0.values ?? [] }, directions: directions).map { pool[$0] }
    }
    return parents
  }

  /// A binary tournament by crowded comparison; `excluding` is kept out when another entrant exists.
  private func tournament(rank: [Int], crowding: [Double], excluding: Int?,
                          using generator: inout SeededGenerator) -> Int {
    let candidates = rank.indices.filter { $0 != excluding || rank.count == 1 }
    let a = candidates[generator.uniformIndex(below: candidates.count)]
    let b = candidates[generator.uniformIndex(below: candidates.count)]
    if rank[a] != rank[b] { return rank[a] < rank[b] ? a : b }
    return crowding[b] > crowding[a] ? b : a
  }

  /// One parameter of the child of parents with values `a` and `b`.
  private func cross(_ a: ParameterValue, _ b: ParameterValue, _ distribution: ParameterDistribution,
                     using generator: inout SeededGenerator) -> ParameterValue {
    let swap = generator.nextDouble() < configuration.swappingProbability
    guard configuration.crossover == .simulatedBinary, !distribution.isCategorical,
          let x = distribution.searchCoordinate(of: a), let y = distribution.searchCoordinate(of: b) else {
      return swap ? b : a
    }
    let (low, high) = distribution.searchBounds
    let child = simulatedBinaryCrossover(x, y, low: low, high: high, using: &generator)
    return distribution.value(atSearchCoordinate: swap ? child.1 : child.0)
  }

  /// SBX for bounded variables (Deb & Agrawal 1995, as in NSGA-II's reference code): two
  /// children spread around the parents with a spread factor drawn from a polynomial density.
  func simulatedBinaryCrossover(_ x: Double, _ y: Double, low: Double, high: Double,
                                using generator: inout SeededGenerator) -> (Double, Double) {
    let lower = min(x, y)
    let upper = max(x, y)
    let u = generator.nextDouble()
    guard upper - lower > 1e-14 else { return (x, y) }
    let eta = configuration.crossoverDistributionIndex
    func spread(_ beta: Double) -> Double {
      let alpha = 2 - pow(beta, -(eta + 1))
      return u <= 1 / alpha ? pow(u * alpha, 1 / (eta + 1)) : pow(1 / (2 - u * alpha), 1 / (eta + 1))
    }
    let width = upper - lower
    let first = 0.5 * (lower + upper - spread(1 + 2 * (lower - low) / width) * width)
    let second = 0.5 * (lower + upper + spread(1 + 2 * (high - upper) / width) * width)
    return (Swift.min(Swift.max(first, low), high), Swift.min(Swift.max(second, low), high))
  }

  /// Polynomial mutation of a numeric value within its search bounds.
  func mutate(_ value: ParameterValue, _ distribution: ParameterDistribution,
              using generator: inout SeededGenerator) -> ParameterValue? {
    guard let x = distribution.searchCoordinate(of: value) else { return nil }
    let (low, high) = distribution.searchBounds
    guard high > low else { return value }
    let eta = configuration.mutationDistributionIndex
    let power = 1 / (eta + 1)
    let u = generator.nextDouble()
    let shift: Double
    if u < 0.5 {
      let gap = 1 - (x - low) / (high - low)
      shift = pow(2 * u + (1 - 2 * u) * pow(gap, eta + 1), power) - 1
    } else {
      let gap = 1 - (high - x) / (high - low)
      shift = 1 - pow(2 * (1 - u) + 2 * (u - 0.5) * pow(gap, eta + 1), power)
    }
    return distribution.value(atSearchCoordinate: Swift.min(Swift.max(x + shift * (high - low), low), high))
  }
}
