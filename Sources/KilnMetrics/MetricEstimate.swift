/// A reported number: its value, whether it is undefined (and why), and its confidence interval.
///
/// Encodes as JSON `{"value": v, "undefined": reason, "detail": text, "interval": {...}}` with NaN
/// written as `null` and absent fields left out, so reports and gates can read it back.
public struct MetricEstimate: Sendable, Equatable, Codable {
  /// The point estimate (NaN when there is none).
  public var value: Double
  /// Why the value is not a real measurement; nil when it is one.
  public var undefined: UndefinedReason?
  /// Which groups or inputs the undefined value rests on, for people.
  public var detail: String?
  /// The bootstrap confidence interval, when one was computed.
  public var interval: ConfidenceInterval?

  public init(value: Double, undefined: UndefinedReason? = nil, detail: String? = nil, interval: ConfidenceInterval? = nil) {
    self.value = value
    self.undefined = undefined
    self.detail = detail
    self.interval = interval
  }

  /// Whether the value is usable: defined and not NaN.
  public var isDefined: Bool { undefined == nil && !value.isNaN }

  public static func == (lhs: MetricEstimate, rhs: MetricEstimate) -> Bool {
    (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)) && lhs.undefined == rhs.undefined
      && lhs.detail == rhs.detail && lhs.interval == rhs.interval
  }

  enum CodingKeys: String, CodingKey { case value, undefined, detail, interval }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    value = try container.decodeNullableDouble(forKey: .value)
    undefined = try container.decodeIfPresent(UndefinedReason.self, forKey: .undefined)
    detail = try container.decodeIfPresent(String.self, forKey: .detail)
    interval = try container.decodeIfPresent(ConfidenceInterval.self, forKey: .interval)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeNullableDouble(value, forKey: .value)
    try container.encodeIfPresent(undefined, forKey: .undefined)
    try container.encodeIfPresent(detail, forKey: .detail)
    try container.encodeIfPresent(interval, forKey: .interval)
  }
}

/// A bootstrap confidence interval: percentile, or BCa for disparities (`method`).
public struct ConfidenceInterval: Sendable, Equatable, Codable {
  /// Lower bound (NaN when no resample gave a defined value).
  public var lower: Double
  /// Upper bound (NaN when no resample gave a defined value).
  public var upper: Double
  /// Coverage, e.g. 0.95.
  public var level: Double
  /// Number of resamples drawn.
  public var resamples: Int
  /// Resamples whose value was NaN and so left out of the percentiles.
  public var undefinedResamples: Int
  /// How the bounds were read from the resamples.
  public var method: Method

  /// How an interval's bounds were read from the resamples.
  public enum Method: String, Codable, Sendable {
    /// The (1∓level)/2 percentiles.
    case percentile
    /// Bias-corrected and accelerated percentiles (disparities; see `StratifiedBootstrap.bcaInterval`).
    case bca
    /// A disparity whose BCa interval is undefined (every resample on one side of the estimate,
    /// or a degenerate jackknife): the plain percentiles, flagged, as they may miss the estimate.
    case percentileBCaUndefined = "percentile_bca_undefined"
  }

  public init(lower: Double, upper: Double, level: Double, resamples: Int, undefinedResamples: Int, method: Method = .percentile) {
    self.lower = lower
    self.upper = upper
    self.level = level
    self.resamples = resamples
    self.undefinedResamples = undefinedResamples
    self.method = method
  }

  public static func == (lhs: ConfidenceInterval, rhs: ConfidenceInterval) -> Bool {
    func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
    return same(lhs.lower, rhs.lower) && same(lhs.upper, rhs.upper) && lhs.level == rhs.level
      && lhs.resamples == rhs.resamples && lhs.undefinedResamples == rhs.undefinedResamples && lhs.method == rhs.method
  }

  enum CodingKeys: String, CodingKey {
    case lower, upper, level, resamples, method
    case undefinedResamples = "undefined_resamples"
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    lower = try container.decodeNullableDouble(forKey: .lower)
    upper = try container.decodeNullableDouble(forKey: .upper)
    level = try container.decode(Double.self, forKey: .level)
    resamples = try container.decode(Int.self, forKey: .resamples)
    undefinedResamples = try container.decode(Int.self, forKey: .undefinedResamples)
    method = try container.decodeIfPresent(Method.self, forKey: .method) ?? .percentile
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeNullableDouble(lower, forKey: .lower)
    try container.encodeNullableDouble(upper, forKey: .upper)
    try container.encode(level, forKey: .level)
    try container.encode(resamples, forKey: .resamples)
    try container.encode(undefinedResamples, forKey: .undefinedResamples)
    // Plain percentile intervals, most of them, keep the shape they always had.
    if method != .percentile { try container.encode(method, forKey: .method) }
  }
}

extension KeyedEncodingContainer {
  /// Writes a Double with NaN as `null` and ±infinity as the strings "Infinity"/"-Infinity".
  mutating func encodeNullableDouble(_ value: Double, forKey key: Key) throws {
    if value.isNaN {
      try encodeNil(forKey: key)
    } else if value.isInfinite {
      try encode(value > 0 ? "Infinity" : "-Infinity", forKey: key)
    } else {
      try encode(value, forKey: key)
    }
  }
}

extension KeyedDecodingContainer {
  /// Reads a Double written by `encodeNullableDouble` (null or missing is NaN).
  func decodeNullableDouble(forKey key: Key) throws -> Double {
    if try !contains(key) || decodeNil(forKey: key) { return .nan }
    if let text = try? decode(String.self, forKey: key) {
      switch text {
      case "Infinity": return .infinity
      case "-Infinity": return -.infinity
      default:
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a number, null or ±Infinity, found \"\(text)\"")
      }
    }
    return try decode(Double.self, forKey: key)
  }
}
