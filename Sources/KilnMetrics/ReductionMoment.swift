/// A reduction's constraints and objective on fixed training rows, with fairlearn's definitions
/// (its `UtilityParity`, `ErrorRate`, `BoundedGroupLoss` and `MeanLoss` moments; Agarwal et al.
/// 2018, arXiv:1803.02453, §3.1–3.2), so the same rows and predictions give its numbers.
///
/// Parity constraints: each row has utilities g⁰ (if ĥ = 0) and g¹ (if ĥ = 1) — (0, 1), or for
/// error-rate parity (y, 1 − y) — and an event e (`all`, or `label=y`). For each event e and group
/// a with rows there, two constraints (+ and −) hold
///
///     γ⁺(e, a) = E[g | e, a] − E[g | e],   γ⁻(e, a) = E[g | e] − E[g | e, a],   each ≤ ε,
///
/// computed as γ = −Uᵀg / n with U⁺ᵢ = [eᵢ = e]/P(e) − [eᵢ = e, aᵢ = a]/P(e, a) and U⁻ = −U⁺.
/// The signed cost of predicting 1 on row i under multipliers λ is (g¹ᵢ − g⁰ᵢ)·Σₖ Uᵢₖλₖ, plus
/// the error rate's 2yᵢ − 1.
///
/// Bounded group loss: one constraint per group, E[ℓ(ĥ, Y) | A = a] ≤ ζ with the squared loss
/// ℓ = (clip(y) − clip(ĥ))² clipped to the label range; the objective is the mean loss and a
/// row's weight is 1 + λ(a)/P(a).
public struct ReductionMoment: Sendable {
  /// The side of a parity constraint: + bounds E[g | e, a] − E[g | e], − the opposite.
  public enum Sign: String, Sendable { case plus = "+", minus = "-" }

  /// One constraint: sign and event for parity constraints (nil for bounded group loss), and group.
  public struct Key: Sendable, Equatable {
    public var sign: Sign?
    public var event: String?
    public var group: String
    /// `+,label=1,Female` (fairlearn's index entries joined by commas), or the group alone.
    public var name: String { ([sign?.rawValue, event].compactMap { $0 } + [group]).joined(separator: ",") }
  }

  public let constraint: ReductionConstraint
  /// ε for parity constraints (fairlearn's `difference_bound`), ζ for bounded group loss.
  public let bound: Double
  /// The constraints, in fairlearn's index order (sign, event, group, each sorted).
  public let keys: [Key]
  /// The labels (0 or 1 for classification).
  public let labels: [Double]
  /// For bounded group loss, the range labels and predictions are clipped to.
  public let lossRange: ClosedRange<Double>?

  /// The present groups' names in the grouping's order, and each row's position among them.
  let groupNames: [String]
  let rowGroup: [Int]
  /// Parity only: each row's event (an index into `eventNames`, nil when the row has none).
  let eventNames: [String]
  let rowEvent: [Int?]
  /// Parity only: g⁰ per row and g¹ − g⁰ per row.
  let baseUtility: [Double]
  let utilityDifference: [Double]
  /// Parity only: P(e), P(e, a) (0 where no row), and each (event, group)'s key position among the + keys.
  let eventProbability: [Double]
  let groupEventProbability: [[Double]]
  let plusKey: [[Int?]]
  /// Bounded group loss only: P(a).
  let groupProbability: [Double]

  public var rowCount: Int { labels.count }

  /// Loads `labels` of the rows of `grouping` (groups without rows are left out, as fairlearn
  /// knows only the values it sees). `bound` is ε or ζ; `lossRange` (bounded group loss only)
  /// defaults to the labels' range.
  public init(constraint: ReductionConstraint, labels: [Double], grouping: Grouping, bound: Double,
              lossRange: ClosedRange<Double>? = nil) throws {
    precondition(labels.count == grouping.codes.count, "ReductionMoment: \(labels.count) labels for \(grouping.codes.count) group codes")
    guard !labels.isEmpty else { throw MitigationError("no rows to fit a reduction on", hint: "fit on a non-empty split") }
    guard bound.isFinite, bound >= 0 else { throw MitigationError("the constraint bound must be finite and at least 0, found \(bound)") }
    if let row = labels.firstIndex(where: { !$0.isFinite }) {
      throw MitigationError("row \(row) has the label \(labels[row]); a reduction needs finite labels")
    }
    if constraint.isClassification, let row = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw MitigationError("row \(row) has the label \(labels[row]); \(constraint.rawValue) is for binary labels 0 and 1",
                            hint: "use bounded_group_loss for a regression label")
    }
    self.constraint = constraint
    self.bound = bound
    self.labels = labels
    let rowCount = Double(labels.count)

    var present = [Bool](repeating: false, count: grouping.groupCount)
    for code in grouping.codes { present[Int(code)] = true }
    let groups = present.indices.filter { present[$0] }
    var position = [Int](repeating: -1, count: grouping.groupCount)
    for (index, group) in groups.enumerated() { position[group] = index }
    groupNames = groups.map(grouping.groupName)
    rowGroup = grouping.codes.map { position[Int($0)] }

    if constraint == .boundedGroupLoss {
      let low = labels.min() ?? 0, high = labels.max() ?? 0
      self.lossRange = lossRange ?? low...high
      var counts = [Double](repeating: 0, count: groupNames.count)
      for group in rowGroup { counts[group] += 1 }
      groupProbability = counts.map { $0 / rowCount }
      keys = groupNames.map { Key(sign: nil, event: nil, group: $0) }
      (eventNames, rowEvent, baseUtility, utilityDifference, eventProbability, groupEventProbability, plusKey) = ([], [], [], [], [], [], [])
      return
    }
    self.lossRange = nil
    groupProbability = []
    switch constraint {
    case .equalizedOdds: (eventNames, rowEvent) = (["label=0", "label=1"], labels.map { Int($0) })
    case .truePositiveRateParity: (eventNames, rowEvent) = (["label=1"], labels.map { $0 == 1 ? 0 : nil })
    case .falsePositiveRateParity: (eventNames, rowEvent) = (["label=0"], labels.map { $0 == 0 ? 0 : nil })
    default: (eventNames, rowEvent) = (["all"], labels.map { _ in 0 })  // demographic and error-rate parity
    }
    if constraint == .errorRateParity {
      baseUtility = labels
      utilityDifference = labels.map { 1 - 2 * $0 }
    } else {
      baseUtility = labels.map { _ in 0 }
      utilityDifference = labels.map { _ in 1 }
    }
    var eventCounts = [Double](repeating: 0, count: eventNames.count)
    var cellCounts = [[Double]](repeating: [Double](repeating: 0, count: groupNames.count), count: eventNames.count)
    for (event, group) in zip(rowEvent, rowGroup) {
      guard let event else { continue }
      eventCounts[event] += 1
      cellCounts[event][group] += 1
    }
    eventProbability = eventCounts.map { $0 / rowCount }
    groupEventProbability = cellCounts.map { $0.map { $0 / rowCount } }
    var plusKeys: [Key] = []
    var plusKey = [[Int?]](repeating: [Int?](repeating: nil, count: groupNames.count), count: eventNames.count)
    for event in eventNames.indices {
      for group in groupNames.indices where cellCounts[event][group] > 0 {
        plusKey[event][group] = plusKeys.count
        plusKeys.append(Key(sign: .plus, event: eventNames[event], group: groupNames[group]))
      }
    }
    self.plusKey = plusKey
    keys = plusKeys + plusKeys.map { Key(sign: .minus, event: $0.event, group: $0.group) }
  }

  /// The value of row `row`'s U for a + key of `event` and `group` (the − key's is its negative).
  private func plusWeight(row: Int, event: Int, group: Int) -> Double {
    let inCell = rowGroup[row] == group ? 1.0 : 0.0
    return 1 / eventProbability[event] + (-1) * inCell / groupEventProbability[event][group]
  }

  /// γ: each constraint's value for `predictions` (one per row; ĥ ∈ [0, 1] for classification).
  public func gamma(_ predictions: [Double]) -> [Double] {
    precondition(predictions.count == rowCount, "ReductionMoment.gamma: \(predictions.count) predictions for \(rowCount) rows")
    if constraint == .boundedGroupLoss {
      let losses = self.losses(predictions)
      var sums = [Double](repeating: 0, count: groupNames.count), counts = sums
      for (loss, group) in zip(losses, rowGroup) {
        sums[group] += loss
        counts[group] += 1
      }
      return zip(sums, counts).map { $0 / $1 }
    }
    let half = keys.count / 2
    var plus = [Double](repeating: 0, count: half), minus = plus
    for row in 0..<rowCount {
      guard let event = rowEvent[row] else { continue }
      let utility = utilityDifference[row] * predictions[row] + baseUtility[row]
      for group in groupNames.indices {
        guard let key = plusKey[event][group] else { continue }
        let weight = plusWeight(row: row, event: event, group: group)
        plus[key] += weight * utility
        minus[key] += -weight * utility
      }
    }
    let n = Double(rowCount)
    return plus.map { -$0 / n } + minus.map { -$0 / n }
  }

  /// The bound each constraint's γ must stay under.
  public var bounds: [Double] { keys.map { _ in bound } }

  /// The objective: the error rate (classification) or the mean squared loss (bounded group loss).
  public func objective(_ predictions: [Double]) -> Double {
    precondition(predictions.count == rowCount, "ReductionMoment.objective: \(predictions.count) predictions for \(rowCount) rows")
    if constraint == .boundedGroupLoss { return losses(predictions).reduce(0, +) / Double(rowCount) }
    var falseNegatives = 0.0, falsePositives = 0.0
    for (label, prediction) in zip(labels, predictions) {
      let signed = label - prediction
      if signed > 0 { falseNegatives += signed } else if signed < 0 { falsePositives += -signed }
    }
    return (falseNegatives + falsePositives) / Double(rowCount)
  }

  /// The squared loss of each row, label and prediction clipped to `lossRange`.
  func losses(_ predictions: [Double]) -> [Double] {
    let range = lossRange ?? 0...1
    return zip(labels, predictions).map { label, prediction in
      let difference = min(max(label, range.lowerBound), range.upperBound) - min(max(prediction, range.lowerBound), range.upperBound)
      return difference * difference
    }
  }

  /// The objective's own signed weight of each row: 2y − 1 (error rate), 1 (mean loss).
  public var objectiveSignedWeights: [Double] {
    constraint == .boundedGroupLoss ? labels.map { _ in 1 } : labels.map { -1 + 2 * $0 }
  }

  /// The weighted problem a learner solves for signed costs (one per row): for classification,
  /// label 1 where predicting 1 costs less and the cost's size as the weight; for regression, the
  /// labels with the costs as weights. `constant` is the one label every row got, if so.
  public func costSensitiveProblem(_ signed: [Double]) -> (labels: [Double], weights: [Double], constant: Double?) {
    guard constraint.isClassification else { return (labels, signed, nil) }
    let relabelled = signed.map { $0 > 0 ? 1.0 : 0.0 }
    let first = relabelled.first
    return (relabelled, signed.map(abs), relabelled.allSatisfy { $0 == first } ? first : nil)
  }

  /// The constraints' signed weight of each row under multipliers `lambda` (one per key).
  public func signedWeights(_ lambda: [Double]) -> [Double] {
    precondition(lambda.count == keys.count, "ReductionMoment.signedWeights: \(lambda.count) multipliers for \(keys.count) constraints")
    if constraint == .boundedGroupLoss {
      let adjust = zip(lambda, groupProbability).map { $0 / $1 }
      return rowGroup.map { adjust[$0] }
    }
    let half = keys.count / 2
    return (0..<rowCount).map { row in
      guard let event = rowEvent[row] else { return utilityDifference[row] * 0 }
      var sum = 0.0
      for group in groupNames.indices {
        guard let key = plusKey[event][group] else { continue }
        let weight = plusWeight(row: row, event: event, group: group)
        sum += weight * lambda[key] + -weight * lambda[half + key]
      }
      return utilityDifference[row] * sum
    }
  }

  /// The multipliers with the same or a higher Lagrangian for every classifier, of least L1 norm
  /// (fairlearn 0.15's projection). For parity, within each event Σₐ P(a | e)·γ⁺(e, a) = 0, so the
  /// signed multipliers dₐ = λ⁺ₐ − λ⁻ₐ may shift by any multiple of P(a | e): the shift is the
  /// P(a | e)-weighted median of dₐ / P(a | e). Then λ⁺ = max(d, 0), λ⁻ = max(−d, 0). Bounded
  /// group loss keeps λ.
  public func projected(_ lambda: [Double]) -> [Double] {
    guard constraint != .boundedGroupLoss else { return lambda }
    let half = keys.count / 2
    var signed = (0..<half).map { lambda[$0] - lambda[half + $0] }
    for event in eventNames.indices {
      let members = groupNames.indices.compactMap { group in plusKey[event][group].map { (key: $0, group: group) } }
      guard !members.isEmpty else { continue }
      let probabilities = members.map { groupEventProbability[event][$0.group] / eventProbability[event] }
      let normalised = zip(members, probabilities).map { signed[$0.key] / $1 }
      // A stable sort, as numpy's argsort(kind="stable").
      let order = normalised.indices.sorted { normalised[$0] < normalised[$1] || (normalised[$0] == normalised[$1] && $0 < $1) }
      let half = probabilities.reduce(0, +) / 2
      var cumulative = 0.0
      var median = order[order.count - 1]
      for position in order {
        cumulative += probabilities[position]
        if cumulative >= half { median = position; break }
      }
      let shift = normalised[median]
      for (index, member) in members.enumerated() { signed[member.key] -= probabilities[index] * shift }
    }
    return signed.map { max($0, 0) } + signed.map { max(-$0, 0) }
  }

  /// The objective is one of the constraints' combinations (bounded group loss: Σₐ P(a)·γₐ is the
  /// mean loss), so a grid of multipliers need not add it (fairlearn's `objective_in_the_span`).
  public var objectiveInSpan: Bool { constraint == .boundedGroupLoss }

  /// A grid search's coordinates (fairlearn's `pos_basis`, `neg_basis`, `neg_basis_present`): each
  /// column moves the + key (for a positive coefficient) or the − key (negative), either absent
  /// when its cell has no rows. Parity: events × all groups but the last, in first-seen order;
  /// bounded group loss: one column per group, positive only.
  public func gridBasis() -> [(plus: Int?, minus: Int?, negativeAllowed: Bool)] {
    func firstSeen(_ values: [Int?]) -> [Int] {
      var seen = Set<Int>(), order: [Int] = []
      for case let value? in values where seen.insert(value).inserted { order.append(value) }
      return order
    }
    let groupOrder = firstSeen(rowGroup)
    if constraint == .boundedGroupLoss { return groupOrder.map { (plus: $0, minus: nil, negativeAllowed: false) } }
    let half = keys.count / 2
    return firstSeen(rowEvent).flatMap { event in
      groupOrder.dropLast().map { group in
        let key = plusKey[event][group]
        return (plus: key, minus: key.map { half + $0 }, negativeAllowed: true)
      }
    }
  }
}
