/// A learner a reduction calls as its cost-sensitive oracle (Agarwal et al. 2018, §3.2).
public protocol CostSensitiveLearner {
  /// Fits the training rows to `labels` with `weights` (one each per row, the weights ≥ 0) and
  /// returns the fitted model's predictions on those rows (0 or 1 for classification). Fits are
  /// numbered in call order from 0; a reduction's hypotheses name them by that number.
  mutating func fit(labels: [Double], weights: [Double]) throws -> [Double]
}

extension CostSensitiveLearner {
  /// The hypothesis for a weighted problem: the constant when every row has one label (fairlearn
  /// then fits no model), else a fit, numbered by `calls`.
  mutating func hypothesis(for problem: (labels: [Double], weights: [Double], constant: Double?), rowCount: Int,
                           calls: inout Int) throws -> (ReductionHypothesis, [Double]) {
    if let constant = problem.constant { return (.constant(constant), problem.labels) }
    let predicted = try fit(labels: problem.labels, weights: problem.weights)
    precondition(predicted.count == rowCount, "CostSensitiveLearner: \(predicted.count) predictions for \(rowCount) rows")
    defer { calls += 1 }
    return (.fitted(call: calls), predicted)
  }
}

/// A predictor a reduction found: a fit of the learner, or a constant (when every relabelled row
/// has the same label, fairlearn fits no model and predicts that label).
public enum ReductionHypothesis: Sendable, Equatable, Codable {
  case fitted(call: Int)
  case constant(Double)
}

/// The Lagrangian L(Q, λ) = err(Q) + λ·(γ(Q) − c) of a reduction, with the hypotheses found so
/// far (fairlearn's `_Lagrangian`): the best response of the learner to λ, and the duality gap.
struct ReductionLagrangian<Learner: CostSensitiveLearner> {
  let moment: ReductionMoment
  /// The bound on ‖λ‖₁ (1/eps).
  let normBound: Double
  var learner: Learner
  private(set) var hypotheses: [ReductionHypothesis] = []
  private(set) var predictions: [[Double]] = []
  private(set) var errors: [Double] = []
  private(set) var gammas: [[Double]] = []
  private(set) var oracleCalls = 0
  private var learnerCalls = 0
  private let objectiveWeights: [Double]

  /// fairlearn's `_PRECISION`.
  static var precision: Double { 1e-8 }

  init(moment: ReductionMoment, normBound: Double, learner: Learner) {
    self.moment = moment
    self.normBound = normBound
    self.learner = learner
    objectiveWeights = moment.objectiveSignedWeights
  }

  /// Calls the learner on the costs of λ: classification rows are relabelled 1 where predicting
  /// 1 costs less, weighted by the cost difference's size, normalised to sum to n.
  mutating func callOracle(_ lambda: [Double]) throws -> (ReductionHypothesis, [Double]) {
    var problem = moment.costSensitiveProblem(zip(objectiveWeights, moment.signedWeights(lambda)).map { $0 + $1 })
    let magnitudes = problem.weights.map(abs)
    let total = magnitudes.reduce(0, +)
    problem.weights = magnitudes.map { Double(moment.rowCount) * $0 / total }
    oracleCalls += 1
    return try learner.hypothesis(for: problem, rowCount: moment.rowCount, calls: &learnerCalls)
  }

  /// The best response to λ among the learner's new fit and the hypotheses so far; a new fit is
  /// kept only when it improves err + λ·γ by more than the precision. Returns its index.
  mutating func bestResponse(_ lambda: [Double]) throws -> Int {
    let (hypothesis, predicted) = try callOracle(lambda)
    let error = moment.objective(predicted)
    let gamma = moment.gamma(predicted)
    let value = error + dot(gamma, lambda)
    var best = -1
    var bestValue = Double.infinity
    for index in hypotheses.indices {
      let candidate = errors[index] + dot(gammas[index], lambda)
      if candidate < bestValue { (best, bestValue) = (index, candidate) }
    }
    if value < bestValue - Self.precision {
      hypotheses.append(hypothesis)
      predictions.append(predicted)
      errors.append(error)
      gammas.append(gamma)
      best = hypotheses.count - 1
    }
    return best
  }

  /// The Lagrangian at a mixture `weights` (over the hypotheses) and λ (projected), its value
  /// when λ answers best (err + B·max(γ − c, 0)), and the mixture's γ and error.
  func evaluate(_ weights: [Double], _ lambda: [Double]) -> (value: Double, high: Double, gamma: [Double], error: Double) {
    var error = 0.0
    var gamma = [Double](repeating: 0, count: moment.keys.count)
    for (index, weight) in weights.enumerated() where index < hypotheses.count {
      error += errors[index] * weight
      for key in gamma.indices { gamma[key] += gammas[index][key] * weight }
    }
    let projected = moment.projected(lambda)
    let slack = zip(gamma, moment.bounds).map { $0 - $1 }
    let value = error + dot(projected, slack)
    let worst = slack.max() ?? 0
    return (value, worst > 0 ? error + normBound * worst : error, gamma, error)
  }

  /// The duality gap at (Q, λ̂): max(L − L_low, L_high − L), L_low the best single hypothesis's
  /// Lagrangian among the responses to λ̂, 2λ̂, 5λ̂ and 10λ̂ (stopping once the gap exceeds ν).
  mutating func gap(_ weights: [Double], _ lambda: [Double], nu: Double) throws -> (gap: Double, gamma: [Double], error: Double) {
    let (value, high, gamma, error) = evaluate(weights, lambda)
    var low = value
    func gapValue() -> Double { max(value - low, high - value) }
    for multiplier in [1.0, 2.0, 5.0, 10.0] {
      let index = try bestResponse(lambda.map { multiplier * $0 })
      var single = [Double](repeating: 0, count: hypotheses.count)
      single[index] = 1
      let lowMultiplier = evaluate(single, lambda).value
      if lowMultiplier < low { low = lowMultiplier }
      if gapValue() > nu + Self.precision { break }
    }
    return (gapValue(), gamma, error)
  }

  /// The best mixture of the hypotheses so far and its multipliers, by linear programming:
  /// minimise err·Q + B·z subject to Σₕ Qₕ(γₕ − c) ≤ z, ΣQ = 1, Q, z ≥ 0; λ from the dual.
  func linearProgram() -> (weights: [Double], lambda: [Double])? {
    let keyCount = moment.keys.count
    let bounds = moment.bounds
    let constraints = (0..<keyCount).map { key in hypotheses.indices.map { gammas[$0][key] - bounds[key] } + [-1.0] }
    let costs = errors + [normBound]
    guard let solution = LinearProgram(costs: costs, inequalities: constraints,
                                       equality: [Double](repeating: 1, count: hypotheses.count) + [0]).solved() else { return nil }
    return (Array(solution.primal.dropLast()), solution.inequalityDuals)
  }
}

func dot(_ a: [Double], _ b: [Double]) -> Double {
  zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
}
