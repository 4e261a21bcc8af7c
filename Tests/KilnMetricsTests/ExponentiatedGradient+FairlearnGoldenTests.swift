import Foundation
import KilnMetrics
import Testing

/// ExponentiatedGradient and GridSearch against fairlearn 0.15.0's on the same rows with the same
/// deterministic learner, a weighted decision stump written identically in
/// `Tests/Fixtures/mitigation/make_reductions_golden.py` (same candidates, order and sums): the
/// multipliers of every iteration, the hypotheses and their γ, the mixture's weights, the best
/// iteration and gap, ν, the oracle calls; and every grid point's λ, objective and γ, to 1e-6.
@Suite struct ExponentiatedGradientFairlearnGoldenTests {
  static var exponentiatedNames: [String] { ReductionGoldens.fixture?.exponentiatedGradient.map(\.name) ?? [] }
  static var gridNames: [String] { ReductionGoldens.fixture?.gridSearch.map(\.name) ?? [] }

  @Test(arguments: exponentiatedNames)
  func exponentiatedGradientMatchesFairlearn(name: String) throws {
    let entry = try #require(ReductionGoldens.fixture?.exponentiatedGradient.first { $0.name == name })
    let (moment, order) = try Self.moment(entry.constraint, entry.inputs, bound: entry.bound, keys: entry.expected.keys)
    var learner = WeightedStump(features: entry.inputs.features, regression: entry.constraint == .boundedGroupLoss)
    let reduction = ExponentiatedGradient(eps: entry.eps, maximumIterations: entry.maxIter,
                                          runLinearProgramStep: entry.runLinprogStep)
    let fit = try reduction.fit(moment, learner: &learner)
    let expected = entry.expected

    #expect(fit.lastIteration == expected.lastIteration)
    #expect(fit.bestIteration == expected.bestIteration)
    #expect(fit.oracleCalls == expected.oracleCalls)
    #expect(abs(fit.nu - expected.nu) < 1e-12)
    #expect(abs(fit.bestGap - expected.bestGap) < 1e-6, "best gap \(fit.bestGap), fairlearn \(expected.bestGap)")
    #expect(fit.multipliers.count == expected.lambdaEg.count)
    for (iteration, (lambda, want)) in zip(fit.multipliers, expected.lambdaEg).enumerated() {
      expectClose(lambda, order(want), "λ at iteration \(iteration)", tolerance: 1e-6)
    }
    #expect(fit.hypotheses.count == expected.hypotheses.count)
    for (index, (predictions, want)) in zip(fit.predictions, expected.hypotheses).enumerated() {
      expectClose(predictions, want.predictions, "hypothesis \(index)'s predictions", tolerance: 1e-9)
      expectClose(fit.gammas[index], order(want.gamma), "γ of hypothesis \(index)", tolerance: 1e-9)
    }
    expectClose(fit.weights, expected.weights, "weights", tolerance: 1e-6)
    if let probabilities = expected.positiveProbabilities {
      expectClose(fit.mixedPredictions, probabilities, "P(ŷ = 1)", tolerance: 1e-6)
    }
  }

  @Test(arguments: gridNames)
  func gridSearchMatchesFairlearn(name: String) throws {
    let entry = try #require(ReductionGoldens.fixture?.gridSearch.first { $0.name == name })
    let (moment, order) = try Self.moment(entry.constraint, entry.inputs, bound: entry.bound, keys: entry.expected.keys)
    var learner = WeightedStump(features: entry.inputs.features, regression: entry.constraint == .boundedGroupLoss)
    let search = ReductionGridSearch(gridSize: entry.gridSize, gridLimit: entry.gridLimit)
    let fit = try search.fit(moment, learner: &learner)
    let expected = entry.expected

    #expect(fit.multipliers.count == expected.lambdas.count)
    for (index, (lambda, want)) in zip(fit.multipliers, expected.lambdas).enumerated() {
      expectClose(lambda, order(want), "λ of grid point \(index)", tolerance: 1e-12)
    }
    for index in fit.predictions.indices {
      expectClose(fit.predictions[index], expected.predictions[index], "predictions at grid point \(index)", tolerance: 1e-9)
      #expect(abs(fit.objectives[index] - expected.objectives[index]) < 1e-9)
      expectClose(fit.gammas[index], order(expected.gammas[index]), "γ at grid point \(index)", tolerance: 1e-9)
    }
    #expect(fit.bestIndex == expected.bestIndex)
  }

  @Test func theSameLearnerGivesTheSameMixtureTwice() throws {
    let entry = try #require(ReductionGoldens.fixture?.exponentiatedGradient.first)
    let (moment, _) = try Self.moment(entry.constraint, entry.inputs, bound: entry.bound, keys: entry.expected.keys)
    var first = WeightedStump(features: entry.inputs.features, regression: false)
    var second = first
    let reduction = ExponentiatedGradient(eps: entry.eps, maximumIterations: entry.maxIter)
    #expect(try reduction.fit(moment, learner: &first).weights == reduction.fit(moment, learner: &second).weights)
  }

  /// The moment, and a function putting fairlearn's key order into Kiln's.
  static func moment(_ constraint: ReductionConstraint, _ inputs: ReductionGoldens.ReductionInputs, bound: Double,
                     keys: [String]) throws -> (ReductionMoment, ([Double]) -> [Double]) {
    let moment = try ReductionMoment(constraint: constraint, labels: inputs.labels, grouping: ReductionGoldens.grouping(inputs.sensitive),
                                     bound: bound, lossRange: constraint == .boundedGroupLoss ? 0...1 : nil)
    let names = moment.keys.map(\.name)
    #expect(names.sorted() == keys.sorted())
    let positions = keys.map { names.firstIndex(of: $0) ?? 0 }
    return (moment, { values in
      var result = [Double](repeating: .nan, count: names.count)
      for (value, position) in zip(values, positions) { result[position] = value }
      return result
    })
  }
}

/// The fixture script's weighted decision stump: x[j] ≤ t ? left : 1 − left (classification) or
/// weighted means on each side (regression), minimising the weighted error; the first best
/// candidate wins, candidates by feature then ascending threshold (then left 0 before 1).
struct WeightedStump: CostSensitiveLearner {
  var features: [[Double]]
  var regression: Bool
  var fits: [(feature: Int, threshold: Double, left: Double, right: Double)] = []

  init(features: [[Double]], regression: Bool) {
    self.features = features
    self.regression = regression
  }

  mutating func fit(labels: [Double], weights: [Double]) throws -> [Double] {
    var best: (error: Double, feature: Int, threshold: Double, left: Double, right: Double)?
    for feature in features[0].indices {
      let column = features.map { $0[feature] }
      for threshold in Set(column).sorted() {
        if regression {
          var sums = [0.0, 0.0], totals = [0.0, 0.0]
          for (x, (label, weight)) in zip(column, zip(labels, weights)) {
            let side = x <= threshold ? 0 : 1
            sums[side] += weight * label
            totals[side] += weight
          }
          let means = (0..<2).map { totals[$0] > 0 ? sums[$0] / totals[$0] : 0 }
          var error = 0.0
          for (x, (label, weight)) in zip(column, zip(labels, weights)) {
            let difference = label - means[x <= threshold ? 0 : 1]
            error += weight * difference * difference
          }
          if best == nil || error < best?.error ?? .infinity { best = (error, feature, threshold, means[0], means[1]) }
        } else {
          for left in [0.0, 1.0] {
            var error = 0.0
            for (x, (label, weight)) in zip(column, zip(labels, weights)) where (x <= threshold ? left : 1 - left) != label {
              error += weight
            }
            if best == nil || error < best?.error ?? .infinity { best = (error, feature, threshold, left, 1 - left) }
          }
        }
      }
    }
    guard let best else { return labels }
    fits.append((best.feature, best.threshold, best.left, best.right))
    return features.map { $0[best.feature] <= best.threshold ? best.left : best.right }
  }
}
