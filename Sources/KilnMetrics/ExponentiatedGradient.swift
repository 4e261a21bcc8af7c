import Foundation

/// In-processing mitigation by the exponentiated-gradient reduction (Agarwal, Beygelzimer, Dudík,
/// Langford & Wallach 2018, "A Reductions Approach to Fair Classification", arXiv:1803.02453),
/// with fairlearn's `ExponentiatedGradient` semantics, so the same learner gives its multipliers,
/// hypotheses and weights.
///
/// A game between the learner (choosing a mixture Q of hypotheses) and λ ≥ 0 with ‖λ‖₁ ≤ B = 1/eps:
///
///     λₜ = B·exp(θₜ) / (1 + Σ exp(θₜ)),   hₜ = the learner's best response to λₜ,
///     θₜ₊₁ = θₜ + η·(γ(hₜ) − c),
///
/// Q is the average of the responses (or, with the linear-programming step, the best mixture of
/// all hypotheses found so far, when its duality gap is smaller). It stops once the gap is below
/// ν (after at least 5 iterations); η shrinks by 0.8 when the best gap stalls. The result is the
/// mixture with the smallest gap (the last one within 1e-8 of it).
public struct ExponentiatedGradient: Sendable {
  public var eps: Double
  public var maximumIterations: Int
  /// The duality-gap tolerance; nil for fairlearn's ½·sd(|h₀ − y|)/√n.
  public var nu: Double?
  public var initialLearningRate: Double
  /// Follow each step with the best mixture by linear programming (fairlearn's `run_linprog_step`).
  public var runLinearProgramStep: Bool

  public init(eps: Double = 0.01, maximumIterations: Int = 50, nu: Double? = nil, initialLearningRate: Double = 2,
              runLinearProgramStep: Bool = true) {
    precondition(eps > 0 && eps.isFinite, "ExponentiatedGradient: eps \(eps) must be positive")
    precondition(maximumIterations >= 1, "ExponentiatedGradient: maximumIterations \(maximumIterations) must be at least 1")
    self.eps = eps
    self.maximumIterations = maximumIterations
    self.nu = nu
    self.initialLearningRate = initialLearningRate
    self.runLinearProgramStep = runLinearProgramStep
  }

  /// What the reduction found.
  public struct Fit: Sendable {
    /// Every hypothesis found, in order, with its weight in the mixture (summing to 1).
    public var hypotheses: [ReductionHypothesis]
    public var weights: [Double]
    /// Each hypothesis's predictions on the training rows, error and γ.
    public var predictions: [[Double]]
    public var errors: [Double]
    public var gammas: [[Double]]
    /// λ of each iteration.
    public var multipliers: [[Double]]
    public var bestIteration: Int
    public var bestGap: Double
    public var lastIteration: Int
    public var nu: Double
    public var oracleCalls: Int

    /// The mixture's expected prediction on each training row (P(ŷ = 1) for classification).
    public var mixedPredictions: [Double] {
      guard let first = predictions.first else { return [] }
      var mixed = [Double](repeating: 0, count: first.count)
      for (weight, rows) in zip(weights, predictions) where weight != 0 {
        for row in mixed.indices { mixed[row] += rows[row] * weight }
      }
      return mixed
    }
  }

  // fairlearn's constants: the minimum iterations, ν's multiplier, and the step-size schedule.
  static let minimumIterations = 5
  static let accuracyMultiplier = 0.5
  static let regretCheckStart = 5
  static let regretCheckGrowth = 1.6
  static let shrinkRegret = 0.8
  static let shrinkLearningRate = 0.8

  /// Runs the reduction with `learner` as the oracle on the rows `moment` was loaded with.
  public func fit<Learner: CostSensitiveLearner>(_ moment: ReductionMoment, learner: inout Learner) throws -> Fit {
    let normBound = 1 / eps
    var lagrangian = ReductionLagrangian(moment: moment, normBound: normBound, learner: learner)
    defer { learner = lagrangian.learner }
    let keyCount = moment.keys.count
    var theta = [Double](repeating: 0, count: keyCount)
    var lambdaSum = [Double](repeating: 0, count: keyCount)
    var counts: [Int: Double] = [:]
    var mixtures: [[Double]] = [], gaps: [Double] = [], averageGaps: [Double] = [], multipliers: [[Double]] = []
    var nu = self.nu ?? 0
    var learningRate = 0.0
    var lastRegretCheck = Double(Self.regretCheckStart)
    var lastGap = Double.infinity
    var program: (hypothesisCount: Int, weights: [Double], gap: Double)?

    for iteration in 0..<maximumIterations {
      let exponentials = theta.map { Foundation.exp($0) }
      let denominator = 1 + exponentials.reduce(0, +)
      let lambda = exponentials.map { normBound * $0 / denominator }
      multipliers.append(lambda)
      for key in 0..<keyCount { lambdaSum[key] += lambda[key] }
      let averageLambda = lambdaSum.map { $0 / Double(iteration + 1) }

      let best = try lagrangian.bestResponse(lambda)
      if iteration == 0 {
        if self.nu == nil {
          let deviations = zip(lagrangian.predictions[best], moment.labels).map { abs($0 - $1) }
          nu = Self.accuracyMultiplier * Self.sampleStandardDeviation(deviations) / Double(moment.rowCount).squareRoot()
        }
        learningRate = initialLearningRate / normBound
      }
      counts[best, default: 0] += 1
      let gamma = lagrangian.gammas[best]
      let total = counts.values.reduce(0, +)
      var average = [Double](repeating: 0, count: lagrangian.hypotheses.count)
      for (index, count) in counts { average[index] = count / total }
      let averageGap = try lagrangian.gap(average, averageLambda, nu: nu).gap
      averageGaps.append(averageGap)

      var programGap = Double.infinity
      var programWeights: [Double] = []
      if iteration > 0, runLinearProgramStep {
        // As fairlearn, the program is solved again only when a hypothesis has been added.
        if program?.hypothesisCount != lagrangian.hypotheses.count, let solution = lagrangian.linearProgram() {
          let count = lagrangian.hypotheses.count
          program = (count, solution.weights, try lagrangian.gap(solution.weights, solution.lambda, nu: nu).gap)
        }
        if let program { (programWeights, programGap) = (program.weights, program.gap) }
      }
      if averageGap < programGap {
        mixtures.append(average)
        gaps.append(averageGap)
      } else {
        mixtures.append(programWeights)
        gaps.append(programGap)
      }

      if gaps[iteration] < nu && iteration >= Self.minimumIterations { break }
      if Double(iteration) >= lastRegretCheck * Self.regretCheckGrowth {
        let bestGap = averageGaps.min() ?? .infinity
        if bestGap > lastGap * Self.shrinkRegret { learningRate *= Self.shrinkLearningRate }
        lastRegretCheck = Double(iteration)
        lastGap = bestGap
      }
      let bounds = moment.bounds
      for key in 0..<keyCount { theta[key] += learningRate * (gamma[key] - bounds[key]) }
    }

    let smallest = gaps.min() ?? .infinity
    let bestIteration = gaps.indices.last { gaps[$0] <= smallest + ReductionLagrangian<Learner>.precision } ?? 0
    var weights = mixtures[bestIteration]
    weights += [Double](repeating: 0, count: lagrangian.hypotheses.count - weights.count)
    return Fit(hypotheses: lagrangian.hypotheses, weights: weights, predictions: lagrangian.predictions,
               errors: lagrangian.errors, gammas: lagrangian.gammas, multipliers: multipliers,
               bestIteration: bestIteration, bestGap: gaps[bestIteration], lastIteration: gaps.count - 1,
               nu: nu, oracleCalls: lagrangian.oracleCalls)
  }

  /// pandas' `std` (n − 1 in the denominator).
  static func sampleStandardDeviation(_ values: [Double]) -> Double {
    guard values.count > 1 else { return .nan }
    let mean = values.reduce(0, +) / Double(values.count)
    return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
  }
}
