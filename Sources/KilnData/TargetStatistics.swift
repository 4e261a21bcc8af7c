/// Summary of regression targets: count, mean, population standard deviation, minimum, maximum.
public struct TargetStatistics: Codable, Sendable, Equatable {
  public var count: Int
  public var mean: Double
  /// σ = √(Σ(y − ȳ)² / n).
  public var standardDeviation: Double
  public var minimum: Double
  public var maximum: Double

  enum CodingKeys: String, CodingKey {
    case count, mean, minimum, maximum
    case standardDeviation = "standard_deviation"
  }

  /// The statistics of `values` (all zero when empty).
  public init(_ values: [Double]) {
    count = values.count
    (mean, standardDeviation) = meanAndDeviation(values)
    minimum = values.min() ?? 0
    maximum = values.max() ?? 0
  }
}
