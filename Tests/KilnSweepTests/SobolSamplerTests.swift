import Foundation
import Testing
@testable import KilnSweep

@Suite struct SobolSamplerTests {
  @Test func unscrambledSequenceStartsWithTheKnownPoints() {
    let sampler = SobolSampler(scrambled: false)
    // Natural-order Sobol points 1, 2, 3 in dimensions 0 and 1 are (1/2, 1/2), (1/4, 3/4), (3/4, 1/4).
    let halfCell = 0.5 / 4_294_967_296.0
    let expected: [[Double]] = [[0.5, 0.5], [0.25, 0.75], [0.75, 0.25]]
    for (index, point) in expected.enumerated() {
      for dimension in 0..<2 {
        #expect(abs(sampler.point(index: index + 1, dimension: dimension, seed: 0) - point[dimension] - halfCell) < 1e-15)
      }
    }
  }

  @Test(arguments: [false, true])
  func first64PointsStratifyEveryDimension(scrambled: Bool) {
    let sampler = SobolSampler(scrambled: scrambled)
    for dimension in [0, 1, 2, 5, 20, 99] {
      let cells = Set((0..<64).map { Int(sampler.point(index: $0, dimension: dimension, seed: 17) * 64) })
      #expect(cells.count == 64, "dimension \(dimension)")
    }
  }

  @Test(arguments: [false, true])
  func first16PointsFormANetInTheFirstTwoDimensions(scrambled: Bool) {
    // A (0, 4, 2)-net: each of the boxes 2⁻ᵃ × 2⁻⁽⁴⁻ᵃ⁾ holds exactly one point, for a = 0 … 4.
    let sampler = SobolSampler(scrambled: scrambled)
    let points = (0..<16).map { (sampler.point(index: $0, dimension: 0, seed: 5), sampler.point(index: $0, dimension: 1, seed: 5)) }
    for a in 0...4 {
      let boxes = Set(points.map { Int($0.0 * Double(1 << a)) * 64 + Int($0.1 * Double(1 << (4 - a))) })
      #expect(boxes.count == 16, "a = \(a)")
    }
  }

  @Test func scramblingDependsOnTheSeed() {
    let sampler = SobolSampler()
    #expect(sampler.point(index: 3, dimension: 2, seed: 1) != sampler.point(index: 3, dimension: 2, seed: 2))
  }

  @Test func parametersTakeDimensionsInTheOrderTheyAreAsked() throws {
    let study = Study(sampler: SobolSampler(scrambled: false), seed: 0)
    try study.optimize(trials: 2) { trial in
      trial.suggestFloat("a", in: 0...1) + trial.suggestFloat("b", in: 0...1)
    }
    let second = try study.trials()[1]
    #expect(abs(second.parameters["a"]!.numericValue! - 0.5) < 1e-9)
    #expect(abs(second.parameters["b"]!.numericValue! - 0.5) < 1e-9)
  }
}
