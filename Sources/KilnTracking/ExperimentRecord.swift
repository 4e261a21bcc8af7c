import KilnMetricDirection
import Foundation

/// A named group of runs.
public struct ExperimentRecord: Codable, Equatable, Sendable {
  public var id: Int64
  public var name: String
  public var createdTime: Date

  public init(id: Int64, name: String, createdTime: Date) {
    self.id = id
    self.name = name
    self.createdTime = createdTime
  }
}

/// A metric series reduced for display: its count, first, last, extremes and a coarse profile.
public struct MetricSummary: Equatable, Sendable {
  public var key: String
  public var count: Int
  /// The value at the highest step.
  public var last: MetricPoint?
  public var minimum: Double?
  public var maximum: Double?
  /// The mean value in each of up to `buckets` equal ranges of steps, for a sparkline.
  public var profile: [Double]

  public init(key: String, count: Int, last: MetricPoint?, minimum: Double?, maximum: Double?, profile: [Double]) {
    self.key = key
    self.count = count
    self.last = last
    self.minimum = minimum
    self.maximum = maximum
    self.profile = profile
  }

  /// The best value in the key's direction (`MetricDirection`'s table); nil for a key whose
  /// direction the table does not know.
  public var best: Double? {
    MetricDirection(forMetric: key).flatMap { $0 == .minimize ? minimum : maximum }
  }
}
