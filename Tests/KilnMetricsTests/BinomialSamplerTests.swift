import KilnRandom
import Foundation
@testable import KilnMetrics
import Testing

@Suite struct BinomialSamplerTests {
  /// The exact binomial probabilities for `trials` and `probability`, by log-gamma.
  func exactMass(_ trials: Int, _ probability: Double) -> [Double] {
    (0...trials).map { k in
      let logChoose = lgamma(Double(trials + 1)) - lgamma(Double(k + 1)) - lgamma(Double(trials - k + 1))
      return exp(logChoose + Double(k) * log(probability) + Double(trials - k) * log1p(-probability))
    }
  }

  @Test(arguments: [(5, 0.3), (40, 0.1), (60, 0.5), (200, 0.3), (500, 0.85), (1_000, 0.02), (3_000, 0.45)])
  func drawsFollowTheBinomialDistribution(trials: Int, probability: Double) {
    let sampler = BinomialSampler(trials: trials, probability: probability)
    var source = TestGenerator(seed: UInt64(trials) &* 31 &+ 7)
    var generator = SeededGenerator(seededFrom: &source)
    let draws = 200_000
    var histogram = [Int](repeating: 0, count: trials + 1)
    for _ in 0..<draws {
      let k = sampler.draw(using: &generator)
      #expect(k >= 0 && k <= trials)
      histogram[k] += 1
    }
    // Total variation distance between empirical and exact: sampling noise alone keeps it near
    // sqrt(support / draws) / 2; a wrong algorithm (a shifted or mis-scaled body) exceeds it.
    let mass = exactMass(trials, probability)
    var distance = 0.0
    for k in 0...trials { distance += abs(Double(histogram[k]) / Double(draws) - mass[k]) }
    distance /= 2
    let support = mass.filter { $0 > 1e-6 }.count
    #expect(distance < 1.5 * (Double(support) / Double(draws)).squareRoot() / 2 + 0.002, "TV distance \(distance)")
    let mean = Double(histogram.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(draws)
    let expectedMean = Double(trials) * probability
    let standardError = (expectedMean * (1 - probability) / Double(draws)).squareRoot()
    #expect(abs(mean - expectedMean) < 5 * standardError + 1e-9, "mean \(mean) vs \(expectedMean)")
    // The variance's standard error is about σ²·√(2/draws) (slightly more for skewed cases).
    let variance = histogram.enumerated().reduce(0.0) { $0 + Double($1.element) * pow(Double($1.offset) - mean, 2) } / Double(draws - 1)
    let expectedVariance = expectedMean * (1 - probability)
    #expect(abs(variance - expectedVariance) < 6 * expectedVariance * (2.0 / Double(draws)).squareRoot(),
            "variance \(variance) vs \(expectedVariance)")
  }

  @Test func degenerateProbabilitiesAreExact() {
    var source = TestGenerator(seed: 1)
    var generator = SeededGenerator(seededFrom: &source)
    #expect(BinomialSampler(trials: 17, probability: 0).draw(using: &generator) == 0)
    #expect(BinomialSampler(trials: 17, probability: 1).draw(using: &generator) == 17)
    #expect(BinomialSampler(trials: 0, probability: 0.4).draw(using: &generator) == 0)
  }
}
