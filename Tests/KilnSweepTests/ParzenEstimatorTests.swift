import KilnRandom
import Foundation
import Testing
@testable import KilnSweep

@Suite struct ParzenEstimatorTests {
  @Test func numericMixtureDensityIntegratesToOne() {
    let distribution = ParameterDistribution.float(low: -1, high: 3, scale: .linear, step: nil)
    let estimator = ParzenEstimator(observations: [[0.2, 0.25, 2.9]], distributions: [distribution],
                                    observationWeights: [1, 1, 1], priorWeight: 1)
    let steps = 40_000
    let width = 4.0 / Double(steps)
    let integral = (0..<steps).reduce(0.0) { total, index in
      total + exp(estimator.logDensity([-1 + (Double(index) + 0.5) * width])) * width
    }
    #expect(abs(integral - 1) < 1e-5)
  }

  @Test func bandwidthsFollowNeighbourDistancesWithinTheMagicClip() throws {
    let kernel = ParzenEstimator.numericKernel([0.0, 1.0, 5.0], bounds: (0, 10), magicClip: true,
                                               considerEndpoints: false)
    guard case .numeric(let normals) = kernel else { Issue.record("expected a numeric kernel"); return }
    // Sorted with ends: 0 | 0, 1, 5 | 10. Outermost use their inner neighbour: σ = 1 and 4;
    // the middle one max(1, 4) = 4. The clip's floor is 10 / min(100, 3 + 2) = 2.
    #expect(normals.map(\.standardDeviation) == [2, 4, 4, 10])
    #expect(normals.last!.mean == 5)
  }

  @Test func categoricalKernelsPutExtraMassOnTheObservedChoice() {
    let distribution = ParameterDistribution.categorical([.string("a"), .string("b"), .string("c")])
    let estimator = ParzenEstimator(observations: [[1, 1]], distributions: [distribution],
                                    observationWeights: [1, 1], priorWeight: 1)
    let probabilities = (0..<3).map { exp(estimator.logDensity([Double($0)])) }
    #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
    #expect(probabilities[1] > probabilities[0] && abs(probabilities[0] - probabilities[2]) < 1e-12)
  }

  @Test func samplesComeFromTheRange() {
    let distribution = ParameterDistribution.float(low: 0, high: 1, scale: .linear, step: nil)
    let estimator = ParzenEstimator(observations: [[0.1, 0.9]], distributions: [distribution],
                                    observationWeights: [1, 1], priorWeight: 1)
    var generator = SeededGenerator(seed: 1)
    let draws = estimator.sample(count: 500, using: &generator)
    #expect(draws.allSatisfy { $0[0] >= 0 && $0[0] <= 1 })
  }
}
