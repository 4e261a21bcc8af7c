import Foundation

/// In-processing mitigation by a grid of Lagrange multipliers (Agarwal et al. 2018,
/// arXiv:1803.02453, §3.4), with fairlearn's `GridSearch` semantics: one learner fit per grid
/// point λ on the costs of λ, and the fit minimising (1 − w)·err + w·max γ is the model.
///
/// The grid (fairlearn's `_GridGenerator`) holds the integer points of the moment's basis
/// coordinates with ‖·‖₁ ≤ N (= N exactly when the objective is in the constraints' span, as for
/// bounded group loss), enumerated coordinate by coordinate from the most negative value, with
/// the smallest N giving at least `gridSize` points; the first `gridSize` are scaled by
/// `gridLimit`/N. Coordinate j moves the + key of its column by a positive value, the − key by a
/// negative one.
public struct ReductionGridSearch: Sendable {
  public var gridSize: Int
  public var gridLimit: Double
  /// w, the weight of the worst constraint value against the objective.
  public var constraintWeight: Double

  public init(gridSize: Int = 10, gridLimit: Double = 2, constraintWeight: Double = 0.5) {
    precondition(gridSize >= 2, "ReductionGridSearch: gridSize \(gridSize) must be at least 2")
    precondition(gridLimit > 0 && gridLimit.isFinite, "ReductionGridSearch: gridLimit \(gridLimit) must be positive")
    precondition((0...1).contains(constraintWeight), "ReductionGridSearch: constraintWeight \(constraintWeight) must be in [0, 1]")
    self.gridSize = gridSize
    self.gridLimit = gridLimit
    self.constraintWeight = constraintWeight
  }

  /// What the search found: each grid point's multipliers, hypothesis, predictions, objective and γ.
  public struct Fit: Sendable {
    public var multipliers: [[Double]]
    public var hypotheses: [ReductionHypothesis]
    public var predictions: [[Double]]
    public var objectives: [Double]
    public var gammas: [[Double]]
    /// The selected grid point.
    public var bestIndex: Int
  }

  /// The multipliers of each grid point, one per key of `moment`.
  public func grid(for moment: ReductionMoment) -> [[Double]] {
    let basis = moment.gridBasis()
    let forceNorm = moment.objectiveInSpan
    let dimensions = basis.count
    let trueDimensions = forceNorm ? dimensions - 1 : dimensions
    let negatives = basis.filter(\.negativeAllowed).count
    var units = max(0, Int((Double(gridSize) / Double(1 << negatives)).pow(1 / Double(max(trueDimensions, 1))) - 1))
    var points: [[Int]] = []
    while true {
      points = []
      var entry = [Int](repeating: 0, count: dimensions)
      Self.accumulate(index: 0, remaining: units, entry: &entry, basis: basis, forceNorm: forceNorm, into: &points)
      if points.count >= gridSize { break }
      units += 1
    }
    let scale = gridLimit / Double(units)
    return points.prefix(gridSize).map { point in
      var lambda = [Double](repeating: 0, count: moment.keys.count)
      for (coordinate, column) in zip(point, basis) {
        let value = Double(coordinate) * scale
        if value > 0, let key = column.plus { lambda[key] += value }
        if value < 0, let key = column.minus { lambda[key] += -value }
      }
      return lambda
    }
  }

  private static func accumulate(index: Int, remaining: Int, entry: inout [Int],
                                 basis: [(plus: Int?, minus: Int?, negativeAllowed: Bool)], forceNorm: Bool, into points: inout [[Int]]) {
    guard index < basis.count else {
      points.append(entry)
      return
    }
    let values: [Int]
    if index == basis.count - 1 && forceNorm {
      values = basis[index].negativeAllowed && remaining > 0 ? [-remaining, remaining] : [remaining]
    } else {
      values = Array((basis[index].negativeAllowed ? -remaining : 0)...remaining)
    }
    for value in values {
      entry[index] = value
      accumulate(index: index + 1, remaining: remaining - abs(value), entry: &entry, basis: basis, forceNorm: forceNorm, into: &points)
    }
  }

  /// Fits `learner` at every grid point on the rows `moment` was loaded with.
  public func fit<Learner: CostSensitiveLearner>(_ moment: ReductionMoment, learner: inout Learner) throws -> Fit {
    var fit = Fit(multipliers: grid(for: moment), hypotheses: [], predictions: [], objectives: [], gammas: [], bestIndex: 0)
    let objectiveWeights = moment.objectiveSignedWeights
    var calls = 0
    for lambda in fit.multipliers {
      var signed = moment.signedWeights(lambda)
      if !moment.objectiveInSpan { signed = zip(signed, objectiveWeights).map { $0 + $1 } }
      let (hypothesis, predicted) = try learner.hypothesis(for: moment.costSensitiveProblem(signed), rowCount: moment.rowCount, calls: &calls)
      fit.hypotheses.append(hypothesis)
      fit.predictions.append(predicted)
      fit.objectives.append(moment.objective(predicted))
      fit.gammas.append(moment.gamma(predicted))
    }
    let losses = zip(fit.objectives, fit.gammas).map { (1 - constraintWeight) * $0 + constraintWeight * ($1.max() ?? 0) }
    fit.bestIndex = losses.indices.min { losses[$0] < losses[$1] || (losses[$0] == losses[$1] && $0 < $1) } ?? 0
    return fit
  }
}

private extension Double {
  func pow(_ exponent: Double) -> Double { Foundation.pow(self, exponent) }
}
