import KilnRandom
import KilnTensor

/// A seeded, encoding-aware corruption of an encoded feature matrix. Immutable columns are never
/// touched, one-hot groups stay valid, and missing values look exactly as the encoder writes them.
public enum Perturbation: Sendable, Equatable {
  /// x ← x + σ·z, z ~ N(0, 1), on every mutable standardised numeric (σ in standard deviations).
  case gaussianNoise(standardDeviation: Double)
  /// Each mutable feature block of each row is, with probability `rate`, replaced by what the
  /// encoder writes for a missing value: numerics by the imputed (median) value, categoricals by
  /// the imputed category; a `<missing>` indicator, when present, is set to 1.
  case missingFeatures(rate: Double)
  /// Each mutable one-hot group of each row is, with probability `rate`, moved to another of its
  /// named categories chosen uniformly (never to the unknown bucket), so the group stays one-hot.
  case categoryCorruption(rate: Double)

  /// The name used in metric names: `gaussian_noise_0.1`, `missing_features_0.2`, `category_corruption_0.1`.
  public var name: String {
    switch self {
    case .gaussianNoise(let level): return "gaussian_noise_\(level)"
    case .missingFeatures(let rate): return "missing_features_\(rate)"
    case .categoryCorruption(let rate): return "category_corruption_\(rate)"
    }
  }

  /// The configured level (σ or rate).
  public var level: Double {
    switch self {
    case .gaussianNoise(let level), .missingFeatures(let level), .categoryCorruption(let level): return level
    }
  }

  /// The perturbed copy of `features` (row-major, `rowCount × layout.featureCount`).
  public func applied(to features: [Float], rowCount: Int, layout: FeatureLayout,
                      using generator: inout SeededGenerator) -> [Float] {
    precondition(features.count == rowCount * layout.featureCount,
                 "Perturbation.applied: \(features.count) values do not fill \(rowCount) rows × \(layout.featureCount) features")
    var result = features
    let width = layout.featureCount
    let numerics = layout.numeric.filter { !$0.isImmutable }
    let groups = layout.categorical.filter { !$0.isImmutable }
    switch self {
    case .gaussianNoise(let deviation):
      precondition(deviation >= 0, "Perturbation.gaussianNoise: standard deviation \(deviation) is negative")
      for row in 0..<rowCount {
        for column in numerics { result[row * width + column.index] += Float(deviation * generator.nextNormal()) }
      }
    case .missingFeatures(let rate):
      precondition(rate >= 0 && rate <= 1, "Perturbation.missingFeatures: rate \(rate) is outside [0, 1]")
      for row in 0..<rowCount {
        let base = row * width
        for column in numerics where generator.nextDouble() < rate {
          result[base + column.index] = column.imputedValue
          if let indicator = column.indicatorIndex { result[base + indicator] = 1 }
        }
        for group in groups where generator.nextDouble() < rate {
          Self.setCategory(group.imputedPosition, of: group, inRowAt: base, in: &result)
          if let indicator = group.indicatorIndex { result[base + indicator] = 1 }
        }
      }
    case .categoryCorruption(let rate):
      precondition(rate >= 0 && rate <= 1, "Perturbation.categoryCorruption: rate \(rate) is outside [0, 1]")
      for row in 0..<rowCount {
        let base = row * width
        for group in groups where group.namedPositions >= 2 && generator.nextDouble() < rate {
          let current = group.columns.firstIndex { result[base + $0] == 1 }.map { $0 - group.columns.lowerBound }
          var replacement = generator.uniformIndex(below: group.namedPositions - (current.map { $0 < group.namedPositions } == true ? 1 : 0))
          if let current, current < group.namedPositions, replacement >= current { replacement += 1 }
          Self.setCategory(replacement, of: group, inRowAt: base, in: &result)
        }
      }
    }
    return result
  }

  /// Writes a one-hot (or all-zero for `nil`) pattern into a group's columns of one row.
  static func setCategory(_ position: Int?, of group: FeatureLayout.CategoricalGroup, inRowAt base: Int, in values: inout [Float]) {
    for column in group.columns { values[base + column] = 0 }
    if let position { values[base + group.columns.lowerBound + position] = 1 }
  }
}
