import Foundation

/// How much of the objective's variation one parameter explains on its own.
///
/// Method: the binned first-order variance decomposition (the correlation ratio η² of Pearson
/// 1905, which estimates the first-order Sobol index Var(E[y | x]) / Var(y); Saltelli et al.,
/// "Global Sensitivity Analysis: The Primer", 2008, §4). Over the complete trials that have the
/// parameter, its values are put into at most `binCount` bins of equal counts by rank of the
/// search coordinate (one bin per choice for categoricals), and
///   η² = Σ_b n_b·(ȳ_b − ȳ)² / Σ_i (y_i − ȳ)².
/// η² grows by chance with the number of bins k, so it is adjusted like R²:
///   η²_adj = max(0, 1 − (1 − η²)·(n − 1)/(n − k)).
/// `share` is η²_adj divided by the sum over parameters (0 when all are 0). Unlike fANOVA
/// (Hutter et al., ICML 2014) it fits no surrogate and sees no interactions, but it needs no
/// random forest and is exact to reproduce.
public struct ParameterImportance: Codable, Hashable, Sendable {
  public let name: String
  /// The adjusted η² of the parameter, in [0, 1].
  public let explainedVariance: Double
  /// `explainedVariance` as a share of the sum over all parameters.
  public let share: Double
  /// The number of complete trials the estimate used.
  public let trialCount: Int

  public init(name: String, explainedVariance: Double, share: Double, trialCount: Int) {
    self.name = name
    self.explainedVariance = explainedVariance
    self.share = share
    self.trialCount = trialCount
  }

  /// The importance of every parameter of the complete trials, most important first (ties by name).
  public static func evaluate(_ trials: [TrialRecord], binCount: Int = 10) -> [ParameterImportance] {
    precondition(binCount >= 2, "ParameterImportance: binCount \(binCount) must be at least 2")
    let complete = trials.filter { $0.state == .complete && $0.value.map { $0.isFinite } == true }
    let names = Set(complete.flatMap { $0.parameters.keys }).sorted()
    let scores = names.map { name -> (Double, Int) in
      let samples = complete.compactMap { trial -> (coordinate: Double, value: Double)? in
        guard let distribution = trial.distributions[name], let parameter = trial.parameters[name],
              let coordinate = distribution.searchCoordinate(of: parameter) else { return nil }
        return (coordinate, trial.value!)
      }
      let categorical = complete.first { $0.distributions[name] != nil }!.distributions[name]!.isCategorical
      return (adjustedCorrelationRatio(samples, categorical: categorical, binCount: binCount), samples.count)
    }
    let total = scores.reduce(0) { $0 + $1.0 }
    return zip(names, scores).map { name, score in
      ParameterImportance(name: name, explainedVariance: score.0, share: total > 0 ? score.0 / total : 0,
                          trialCount: score.1)
    }.sorted { $0.explainedVariance != $1.explainedVariance ? $0.explainedVariance > $1.explainedVariance : $0.name < $1.name }
  }

  /// η²_adj of the values grouped by bins of the coordinates.
  static func adjustedCorrelationRatio(_ samples: [(coordinate: Double, value: Double)], categorical: Bool,
                                       binCount: Int) -> Double {
    let count = samples.count
    guard count >= 3 else { return 0 }
    var bins: [Int]
    if categorical {
      bins = samples.map { Int($0.coordinate) }
    } else {
      let order = samples.indices.sorted { samples[$0].coordinate < samples[$1].coordinate }
      let binTotal = min(binCount, count)
      bins = [Int](repeating: 0, count: count)
      for (rank, index) in order.enumerated() { bins[index] = rank * binTotal / count }
      // Equal coordinates share a bin, so a constant parameter explains nothing.
      for position in 1..<count where samples[order[position]].coordinate == samples[order[position - 1]].coordinate {
        bins[order[position]] = bins[order[position - 1]]
      }
    }
    let mean = samples.reduce(0) { $0 + $1.value } / Double(count)
    let totalSquares = samples.reduce(0) { $0 + ($1.value - mean) * ($1.value - mean) }
    guard totalSquares > 0 else { return 0 }
    var sums: [Int: (total: Double, count: Int)] = [:]
    for (sample, bin) in zip(samples, bins) {
      sums[bin, default: (0, 0)].total += sample.value
      sums[bin, default: (0, 0)].count += 1
    }
    let betweenSquares = sums.values.reduce(0.0) { total, group in
      let groupMean = group.total / Double(group.count)
      return total + Double(group.count) * (groupMean - mean) * (groupMean - mean)
    }
    let groupCount = sums.count
    guard groupCount > 1, count > groupCount else { return 0 }
    let ratio = betweenSquares / totalSquares
    return max(0, 1 - (1 - ratio) * Double(count - 1) / Double(count - groupCount))
  }
}
