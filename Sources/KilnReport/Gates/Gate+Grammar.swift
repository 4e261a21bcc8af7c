import KilnMetricDirection

extension Gate {
  /// What a champion gate compares with (`vs: champion`).
  public enum Baseline: String, Codable, Sendable, CaseIterable {
    case champion
  }

  /// A gate as it is written: in the experiment file, the configuration a run stores and `promotion.json`.
  private struct Written: Codable {
    var metric: String
    var min, max: Double?
    var vs: Baseline?
    var minDelta, minRelativeChange: Double?
    var use: Bound?
    var severity: Severity?
    var direction: MetricDirection?

    enum CodingKeys: String, CodingKey {
      case metric, min, max, vs, use, severity, direction
      case minDelta = "min_delta"
      case minRelativeChange = "min_relative_change"
    }
  }

  /// Reads a gate as the experiment file writes it:
  /// `{metric: M, min: X}`, `{metric: M, max: X}`, `{metric: M, min: X, max: Y}`,
  /// `{metric: M, vs: champion, min_delta: D}` or `{metric: M, vs: champion, min_relative_change: R}`,
  /// with optional `use: value | ci_lower | ci_upper`, `severity: block | warn` and, for a champion
  /// gate on a metric outside `MetricDirection`'s table, the required `direction: maximize | minimize`.
  /// - Throws: `DecodingError.dataCorrupted` at the offending key, saying what to write instead
  ///   (every key is read first, so a strict reader can report the problem and read on).
  public init(from decoder: Decoder) throws {
    let written = try Written(from: decoder)
    func invalid(_ key: Written.CodingKeys, _ message: String) -> DecodingError {
      .dataCorrupted(DecodingError.Context(codingPath: decoder.codingPath + [key], debugDescription: message))
    }
    let metric = written.metric
    guard (written.min != nil || written.max != nil) != (written.vs != nil) else {
      throw invalid(.metric, "gate on `\(metric)` needs either min/max or vs: champion, e.g. {metric: test.accuracy, min: 0.84}")
    }
    let threshold: Threshold
    if written.vs != nil {
      if let change = written.minRelativeChange {
        threshold = .versusChampionRelative(minRelativeChange: change)
      } else if let delta = written.minDelta {
        threshold = .versusChampion(minDelta: delta)
      } else {
        throw invalid(.vs, "a champion gate needs min_delta or min_relative_change, e.g. min_delta: -0.005")
      }
      if written.direction == nil && MetricDirection(forMetric: metric) == nil {
        throw invalid(.metric, "a champion gate on `\(metric)`: " + UnknownMetricDirection(metric: metric).description)
      }
    } else if written.minDelta != nil || written.minRelativeChange != nil {
      throw invalid(.minDelta, "min_delta and min_relative_change apply only with vs: champion")
    } else if let min = written.min, let max = written.max {
      threshold = .range(min, max)
    } else {
      threshold = written.min.map(Threshold.atLeast) ?? .atMost(written.max ?? .nan)
    }
    self.init(metric: metric, threshold: threshold, bound: written.use ?? .value, severity: written.severity ?? .block,
              direction: written.direction)
  }

  /// Writes the gate in the grammar it is read in (`use` and `severity` only when not the default).
  public func encode(to encoder: Encoder) throws {
    var written = Written(metric: metric, use: bound == .value ? nil : bound, severity: severity == .block ? nil : severity,
                          direction: direction)
    switch threshold {
    case .atLeast(let minimum): written.min = minimum
    case .atMost(let maximum): written.max = maximum
    case .range(let minimum, let maximum): (written.min, written.max) = (minimum, maximum)
    case .versusChampion(let delta): (written.vs, written.minDelta) = (.champion, delta)
    case .versusChampionRelative(let change): (written.vs, written.minRelativeChange) = (.champion, change)
    }
    try written.encode(to: encoder)
  }
}
