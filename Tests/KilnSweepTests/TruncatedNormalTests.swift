import KilnRandom
import Foundation
import Testing
@testable import KilnSweep

@Suite struct TruncatedNormalTests {
  @Test func inverseCDFInvertsTheNormalCDF() {
    // Above z = 4, Φ(z) rounds towards 1 in Double and loses the digits to invert.
    for z in stride(from: -8.0, through: 4.0, by: 0.25) {
      let p = TruncatedNormal.cdf(z)
      #expect(abs(TruncatedNormal.inverseCDF(p) - z) < 1e-7, "z = \(z)")
    }
  }

  @Test func samplesStayInBoundsAndMatchTheTruncatedMean() {
    // N(0, 1) truncated to [0.5, 3]: mean = (φ(0.5) − φ(3)) / (Φ(3) − Φ(0.5)).
    let kernel = TruncatedNormal(mean: 0, standardDeviation: 1, low: 0.5, high: 3)
    var generator = SeededGenerator(seed: 3)
    let draws = (0..<20_000).map { _ in kernel.sample(unit: generator.nextDouble()) }
    #expect(draws.allSatisfy { $0 >= 0.5 && $0 <= 3 })
    let phi = { (x: Double) in exp(-x * x / 2) / (2 * Double.pi).squareRoot() }
    let expected = (phi(0.5) - phi(3)) / (TruncatedNormal.cdf(3) - TruncatedNormal.cdf(0.5))
    let mean = draws.reduce(0, +) / Double(draws.count)
    #expect(abs(mean - expected) < 0.01)
  }

  @Test func densityIntegratesToOneOverTheBounds() {
    let kernel = TruncatedNormal(mean: 2.5, standardDeviation: 0.7, low: 0, high: 3)
    let steps = 30_000
    let width = 3.0 / Double(steps)
    let integral = (0..<steps).reduce(0.0) { total, index in
      total + exp(kernel.logDensity((Double(index) + 0.5) * width)) * width
    }
    #expect(abs(integral - 1) < 1e-6)
  }
}
