import KilnReport

extension GateConfiguration {
  /// The gate this configuration describes (validation has ensured exactly one form is given).
  public var gate: Gate {
    let threshold: Gate.Threshold
    if vs == .champion {
      if let minRelativeChange {
        threshold = .versusChampionRelative(minRelativeChange: minRelativeChange)
      } else {
        threshold = .versusChampion(minDelta: minDelta ?? 0)
      }
    } else if let min, let max {
      threshold = .range(min, max)
    } else if let min {
      threshold = .atLeast(min)
    } else {
      threshold = .atMost(max ?? .nan)
    }
    let bound: Gate.Bound
    switch use ?? .value {
    case .value: bound = .value
    case .ciLower: bound = .ciLower
    case .ciUpper: bound = .ciUpper
    }
    return Gate(metric: metric, threshold: threshold, bound: bound, severity: severity == .warn ? .warn : .block)
  }
}
