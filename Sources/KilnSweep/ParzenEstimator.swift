import KilnRandom
import Foundation

/// A mixture of product kernels over a search space (Bergstra et al. 2011, §4), the density
/// l(x) or g(x) of the tree-structured Parzen estimator.
///
/// Each observation xᵢ contributes a component with weight wᵢ; a prior component (the centre of
/// each range, spread over the whole range) is added with weight `priorWeight`, and the weights are
/// normalised. Per dimension:
/// - numeric: a normal kernel truncated to the search range, mean xᵢ, and bandwidth
///   σᵢ = max(xᵢ − xᵢ₋₁, xᵢ₊₁ − xᵢ) over the sorted observations with the range's ends as
///   outer neighbours (the outermost use their inner neighbour only), clipped to
///   [(high − low) / min(100, n + 2), high − low] (the "magic clip" of Optuna and hyperopt);
///   the prior kernel has mean (low + high)/2 and σ = high − low.
/// - categorical: component i puts mass 1 + prior/(n+1) on the observed choice and prior/(n+1) on
///   every choice, normalised; the prior component is uniform.
/// All coordinates are search coordinates (`ParameterDistribution.searchCoordinate(of:)`).
struct ParzenEstimator: Sendable {
  enum Kernel: Sendable {
    case numeric([TruncatedNormal])
    /// Per component, the cumulative and the log probabilities of the choices.
    case categorical(cumulative: [[Double]], logProbabilities: [[Double]])
  }

  let logWeights: [Double]
  let cumulativeWeights: [Double]
  let kernels: [Kernel]

  /// - Parameters:
  ///   - observations: per dimension, the observed search coordinates (all of equal count n).
  ///   - distributions: the distribution of each dimension.
  ///   - observationWeights: the n mixture weights before the prior is added.
  init(observations: [[Double]], distributions: [ParameterDistribution], observationWeights: [Double],
       priorWeight: Double, magicClip: Bool = true, considerEndpoints: Bool = false) {
    let count = observationWeights.count
    var weights = observationWeights + [count == 0 ? 1 : priorWeight]
    let total = weights.reduce(0, +)
    weights = weights.map { $0 / total }
    logWeights = weights.map { log($0) }
    var running = 0.0
    cumulativeWeights = weights.map { running += $0; return running }
    kernels = zip(observations, distributions).map { values, distribution in
      distribution.isCategorical
        ? ParzenEstimator.categoricalKernel(values, choices: distribution.choiceCount, priorWeight: priorWeight)
        : ParzenEstimator.numericKernel(values, bounds: distribution.searchBounds, magicClip: magicClip,
                                        considerEndpoints: considerEndpoints)
    }
  }

  static func numericKernel(_ means: [Double], bounds: (low: Double, high: Double), magicClip: Bool,
                            considerEndpoints: Bool) -> Kernel {
    let (low, high) = bounds
    let width = max(high - low, 1e-12)
    let order = means.indices.sorted { means[$0] < means[$1] }
    let sorted = [low] + order.map { means[$0] } + [high]
    var sigmas = [Double](repeating: width, count: means.count)
    for (rank, index) in order.enumerated() {
      let position = rank + 1
      var sigma = max(sorted[position] - sorted[position - 1], sorted[position + 1] - sorted[position])
      if !considerEndpoints && sorted.count >= 4 {
        if rank == 0 { sigma = sorted[2] - sorted[1] }
        if rank == order.count - 1 { sigma = sorted[sorted.count - 2] - sorted[sorted.count - 3] }
      }
      let minimum = magicClip ? width / min(100.0, Double(means.count) + 2) : 1e-12
      sigmas[index] = min(max(sigma, minimum), width)
    }
    var components = zip(means, sigmas).map {
      TruncatedNormal(mean: $0, standardDeviation: $1, low: low, high: high)
    }
    components.append(TruncatedNormal(mean: (low + high) / 2, standardDeviation: width, low: low, high: high))
    return .numeric(components)
  }

  static func categoricalKernel(_ indices: [Double], choices: Int, priorWeight: Double) -> Kernel {
    let kernelCount = Double(indices.count + 1)
    var rows = (0...indices.count).map { _ in [Double](repeating: priorWeight / kernelCount, count: choices) }
    for (row, index) in indices.enumerated() { rows[row][Int(index)] += 1 }
    var cumulative: [[Double]] = []
    var logProbabilities: [[Double]] = []
    for row in rows {
      let total = row.reduce(0, +)
      var running = 0.0
      cumulative.append(row.map { running += $0 / total; return running })
      logProbabilities.append(row.map { log($0 / total) })
    }
    return .categorical(cumulative: cumulative, logProbabilities: logProbabilities)
  }

  /// `count` points drawn from the mixture, each a search coordinate per dimension.
  func sample(count: Int, using generator: inout SeededGenerator) -> [[Double]] {
    (0..<count).map { _ in
      let component = ParzenEstimator.firstIndex(in: cumulativeWeights, above: generator.nextDouble())
      return kernels.map { kernel in
        switch kernel {
        case .numeric(let normals):
          return normals[component].sample(unit: generator.nextDouble())
        case .categorical(let cumulative, _):
          return Double(ParzenEstimator.firstIndex(in: cumulative[component], above: generator.nextDouble()))
        }
      }
    }
  }

  /// log of the mixture density at `point`: log Σₖ wₖ Πᵈ pₖ,d(x_d), by log-sum-exp.
  func logDensity(_ point: [Double]) -> Double {
    var terms = logWeights
    for (dimension, kernel) in kernels.enumerated() {
      let x = point[dimension]
      switch kernel {
      case .numeric(let normals):
        for k in terms.indices { terms[k] += normals[k].logDensity(x) }
      case .categorical(_, let logProbabilities):
        let choice = Int(x)
        for k in terms.indices { terms[k] += logProbabilities[k][choice] }
      }
    }
    let largest = terms.max() ?? -Double.infinity
    guard largest.isFinite else { return largest }
    return largest + log(terms.reduce(0) { $0 + exp($1 - largest) })
  }

  /// The first index whose cumulative value exceeds `unit` (the last one if rounding leaves none).
  static func firstIndex(in cumulative: [Double], above unit: Double) -> Int {
    var lower = 0, upper = cumulative.count - 1
    while lower < upper {
      let middle = (lower + upper) / 2
      if cumulative[middle] > unit { upper = middle } else { lower = middle + 1 }
    }
    return lower
  }
}
