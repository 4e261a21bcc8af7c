import KilnMetricDirection
import KilnMetrics

/// The outcome of one gate on one metric.
public struct GateResult: Codable, Equatable, Sendable {
  public enum Outcome: String, Codable, Sendable {
    case pass
    case fail
  }

  public var gate: Gate
  /// The concrete metric checked (the worst match, for a wildcard gate).
  public var metric: String
  /// The number compared with the threshold (the chosen bound of the metric), if it exists.
  public var observed: Double?
  /// The champion's number, for champion gates.
  public var champion: Double?
  /// The threshold the observed number had to meet (for champion gates: the champion-derived limit).
  public var threshold: Double?
  /// How far inside (positive) or outside (negative) the threshold the observed number is.
  public var margin: Double?
  public var outcome: Outcome
  /// Why, in words: what was compared, or why the gate failed closed.
  public var reason: String
  /// Whether this failing gate blocks promotion.
  public var blocks: Bool { outcome == .fail && gate.severity == .block }
}

/// The promotion decision: `promote` only when no blocking gate failed.
public struct GateDecision: Codable, Equatable, Sendable {
  public enum Verdict: String, Codable, Sendable {
    case promote
    case reject
  }

  public var verdict: Verdict
  public var results: [GateResult]

  public init(verdict: Verdict, results: [GateResult]) {
    self.verdict = verdict
    self.results = results
  }

  /// Failing gates of severity `warn`.
  public var warnings: [GateResult] { results.filter { $0.outcome == .fail && $0.gate.severity == .warn } }
}

/// Evaluates gates against a candidate's metrics and, for champion gates, the champion's.
///
/// Gates fail closed: a metric that is missing, NaN or marked undefined, a missing interval bound,
/// a wildcard that matches nothing, or a champion that lacks the metric is a failing gate with
/// the reason. With no champion at all (the first model of its name), champion gates pass with
/// the reason "no champion yet", as TFMA skips change thresholds without a baseline.
public struct GateEvaluator: Sendable {
  public init() {}

  public func decide(gates: [Gate], candidate: [String: MetricEstimate], champion: [String: MetricEstimate]?) -> GateDecision {
    let results = gates.map { evaluate($0, candidate: candidate, champion: champion) }
    let verdict: GateDecision.Verdict = results.contains { $0.blocks } ? .reject : .promote
    return GateDecision(verdict: verdict, results: results)
  }

  /// One gate; for a wildcard gate, the result of the worst matching metric.
  public func evaluate(_ gate: Gate, candidate: [String: MetricEstimate], champion: [String: MetricEstimate]?) -> GateResult {
    let names = matchingNames(gate.metric, in: candidate.keys)
    guard !names.isEmpty else {
      return GateResult(gate: gate, metric: gate.metric, observed: nil, champion: nil, threshold: nil, margin: nil, outcome: .fail,
                        reason: "no metric named `\(gate.metric)` was computed" + availableHint(for: gate.metric, among: candidate.keys.sorted()))
    }
    let results = names.map { evaluate(gate, metric: $0, estimate: candidate[$0]!, champion: champion) }
    // The worst: any failure first, then the smallest margin.
    return results.min { lhs, rhs in
      if lhs.outcome != rhs.outcome { return lhs.outcome == .fail }
      return (lhs.margin ?? -.infinity) < (rhs.margin ?? -.infinity)
    }!
  }

  private func evaluate(_ gate: Gate, metric: String, estimate: MetricEstimate, champion: [String: MetricEstimate]?) -> GateResult {
    func failed(_ reason: String, observed: Double? = nil, championValue: Double? = nil) -> GateResult {
      GateResult(gate: gate, metric: metric, observed: observed, champion: championValue, threshold: nil, margin: nil, outcome: .fail, reason: reason)
    }
    if let reason = estimate.undefined {
      let detail = estimate.detail.map { " (\($0))" } ?? ""
      return failed("`\(metric)` is undefined: \(reason.explanation)\(detail)", observed: estimate.value)
    }
    guard let observed = number(estimate, gate.bound) else {
      let what = gate.bound == .value ? "has no value" : "has no \(gate.bound.rawValue) (no confidence interval was computed)"
      return failed("`\(metric)` \(what)")
    }
    guard !observed.isNaN else { return failed("`\(metric)` is NaN", observed: observed) }

    switch gate.threshold {
    case .atLeast(let minimum):
      return compared(gate, metric, observed, threshold: minimum, margin: observed - minimum, champion: nil,
                      words: "\(format(observed)) ≥ \(format(minimum))")
    case .atMost(let maximum):
      return compared(gate, metric, observed, threshold: maximum, margin: maximum - observed, champion: nil,
                      words: "\(format(observed)) ≤ \(format(maximum))")
    case .range(let minimum, let maximum):
      let margin = min(observed - minimum, maximum - observed)
      return compared(gate, metric, observed, threshold: observed - minimum < maximum - observed ? minimum : maximum,
                      margin: margin, champion: nil, words: "\(format(minimum)) ≤ \(format(observed)) ≤ \(format(maximum))")
    case .versusChampion, .versusChampionRelative:
      guard let champion else {
        return GateResult(gate: gate, metric: metric, observed: observed, champion: nil, threshold: nil, margin: nil, outcome: .pass,
                          reason: "no champion yet: the first model of its name passes champion comparisons")
      }
      guard let championEstimate = champion[metric], championEstimate.undefined == nil,
            let championValue = number(championEstimate, .value), !championValue.isNaN else {
        return failed("the champion has no usable `\(metric)` to compare with", observed: observed)
      }
      guard let direction = gate.direction(for: metric) else {
        return failed(UnknownMetricDirection(metric: metric).description, observed: observed)
      }
      let lowerIsBetter = direction == .minimize
      // The improvement over the champion: positive is better whichever way the metric points.
      let improvement = lowerIsBetter ? championValue - observed : observed - championValue
      if case .versusChampion(let minDelta) = gate.threshold {
        let limit = lowerIsBetter ? championValue - minDelta : championValue + minDelta
        let words = lowerIsBetter
          ? "champion \(format(championValue)) − \(format(observed)) = \(format(improvement)) ≥ \(format(minDelta)) (lower is better)"
          : "\(format(observed)) − champion \(format(championValue)) = \(format(improvement)) ≥ \(format(minDelta))"
        return compared(gate, metric, observed, threshold: limit, margin: improvement - minDelta, champion: championValue, words: words)
      }
      guard case .versusChampionRelative(let change) = gate.threshold else { preconditionFailure("unreachable") }
      guard championValue != 0 else { return failed("the champion's `\(metric)` is 0: a relative change is undefined", observed: observed) }
      let limit = lowerIsBetter ? championValue - change * abs(championValue) : championValue + change * abs(championValue)
      let relative = improvement / abs(championValue)
      return compared(gate, metric, observed, threshold: limit, margin: lowerIsBetter ? limit - observed : observed - limit,
                      champion: championValue,
                      words: "relative \(lowerIsBetter ? "improvement (lower is better)" : "change") \(format(relative)) ≥ \(format(change))")
    }
  }

  private func compared(_ gate: Gate, _ metric: String, _ observed: Double, threshold: Double, margin: Double,
                        champion: Double?, words: String) -> GateResult {
    let outcome: GateResult.Outcome = margin >= 0 ? .pass : .fail
    let reason = outcome == .pass ? words : "not met: \(words) is false"
    return GateResult(gate: gate, metric: metric, observed: observed, champion: champion, threshold: threshold, margin: margin,
                      outcome: outcome, reason: reason)
  }

  private func number(_ estimate: MetricEstimate, _ bound: Gate.Bound) -> Double? {
    switch bound {
    case .value: return estimate.value
    case .ciLower: return estimate.interval?.lower
    case .ciUpper: return estimate.interval?.upper
    }
  }

  private func format(_ value: Double) -> String {
    let rounded = (value * 10_000).rounded() / 10_000
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  /// Why `gate` would fail closed for want of its metric among `names` — "no metric named … is
  /// computed; available: …" — or nil when its metric (or wildcard) matches one. Lets a
  /// caller check gates against the names an evaluation will compute, before it runs.
  public func unmatchedReason(_ gate: Gate, among names: Set<String>) -> String? {
    guard matchingNames(gate.metric, in: names).isEmpty else { return nil }
    return "no metric named `\(gate.metric)` is computed" + availableHint(for: gate.metric, among: names.sorted())
  }

  /// Metric names matching `pattern`, where `*` matches exactly one dotted segment.
  func matchingNames(_ pattern: String, in names: some Sequence<String>) -> [String] {
    guard pattern.contains("*") else { return names.contains(pattern) ? [pattern] : [] }
    let patternParts = pattern.split(separator: ".", omittingEmptySubsequences: false)
    return names.filter { name in
      let parts = name.split(separator: ".", omittingEmptySubsequences: false)
      return parts.count == patternParts.count && zip(parts, patternParts).allSatisfy { $1 == "*" || $0 == $1 }
    }.sorted()
  }

  /// What was computed instead: the metrics of the same family — same depth, sharing the longest
  /// dotted prefix any of them shares (so a gate on `test.accuracy` for a regression model lists
  /// `test.rmse`, `test.mae`, …, and one on `fairness.sex.demographic_parity_difference` lists
  /// `fairness.sex.mae_difference`, …) — at most 25 of them; else the nearest names.
  private func availableHint(for name: String, among known: [String]) -> String {
    let parts = name.split(separator: ".")
    let sameDepth = known.filter { $0.split(separator: ".").count == parts.count }
    func shared(_ other: String) -> Int { zip(parts, other.split(separator: ".")).prefix { $0 == $1 }.count }
    let longest = sameDepth.map(shared).max() ?? 0
    guard longest > 0 else {
      let nearest = nearestNames(to: name, among: known)
      return nearest.isEmpty ? "" : "; nearest: \(nearest.joined(separator: ", "))"
    }
    let family = sameDepth.filter { shared($0) == longest }
    let shown = family.prefix(25).joined(separator: ", ")
    return "; available: \(shown)" + (family.count > 25 ? " and \(family.count - 25) more" : "")
  }

  /// Up to three names sharing the longest dotted prefix with `name`, for "did you mean" hints.
  private func nearestNames(to name: String, among names: [String]) -> [String] {
    let parts = name.split(separator: ".")
    func shared(_ other: String) -> Int {
      zip(parts, other.split(separator: ".")).prefix { $0 == $1 }.count
    }
    let best = names.map(shared).max() ?? 0
    guard best > 0 else { return [] }
    return Array(names.filter { shared($0) == best }.prefix(3))
  }
}
