/// A metric as gates see it: a point estimate, its bootstrap interval, and whether it can be trusted.
public struct MetricEstimate: Codable, Equatable, Sendable {
  /// The point estimate; nil or NaN means the metric could not be computed.
  public var value: Double?
  /// The lower and upper bounds of its confidence interval, when one was computed.
  public var ciLower: Double?
  public var ciUpper: Double?
  /// Why the value is undefined or untrustworthy (a zero denominator, a group below the minimum
  /// size); gates fail closed on it.
  public var undefinedReason: String?

  public init(value: Double?, ciLower: Double? = nil, ciUpper: Double? = nil, undefinedReason: String? = nil) {
    self.value = value
    self.ciLower = ciLower
    self.ciUpper = ciUpper
    self.undefinedReason = undefinedReason
  }

  enum CodingKeys: String, CodingKey {
    case value
    case ciLower = "ci_lower"
    case ciUpper = "ci_upper"
    case undefinedReason = "undefined_reason"
  }
}
