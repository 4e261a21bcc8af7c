import Testing
@testable import KilnDrift

@Suite struct TwoSampleTestTests {
  @Test func kolmogorovSmirnovMatchesHandComputedStatisticAndStephensPValue() {
    let reference = [0.1, 0.5, 0.9, 1.3, 2.0, 2.2, 3.1]
    let current = [0.4, 1.0, 1.1, 2.5, 3.3, 3.9, 4.2, 5.0]
    let result = TwoSampleTest.kolmogorovSmirnov(sortedReference: reference, sortedCurrent: current)
    #expect(abs(result.statistic - 0.5) < 1e-12)
    // scipy.stats.kstwobign.sf((√nₑ + 0.12 + 0.11/√nₑ)·D) with nₑ = 56/15.
    #expect(abs(result.pValue - 0.21603828128465316) < 1e-9)
    #expect(result.effectSize == result.statistic)
  }

  @Test func kolmogorovSmirnovOfIdenticalSamplesIsZeroWithPValueOne() {
    let sample = [1.0, 1.0, 2.0, 3.0, 3.0, 3.0]
    let result = TwoSampleTest.kolmogorovSmirnov(sortedReference: sample, sortedCurrent: sample)
    #expect(result.statistic == 0)
    #expect(result.pValue == 1)
  }

  @Test func kolmogorovSmirnovStepsTiedValuesTogether() {
    // Both samples are all 1s and 2s; at x = 1 the CDFs are 0.5 and 0.25.
    let result = TwoSampleTest.kolmogorovSmirnov(sortedReference: [1, 1, 2, 2], sortedCurrent: [1, 2, 2, 2])
    #expect(abs(result.statistic - 0.25) < 1e-12)
  }

  @Test func chiSquaredMatchesScipyContingencyWithoutCorrection() {
    let result = TwoSampleTest.chiSquared(referenceCounts: [30, 50, 20], currentCounts: [45, 40, 15])
    #expect(abs(result.statistic - 4.825396825396825) < 1e-9)
    #expect(abs(result.pValue - 0.08957326253887996) < 1e-9)
    #expect(result.degreesOfFreedom == 2)
    #expect(abs(result.effectSize - (4.825396825396825 / 200).squareRoot()) < 1e-12)
  }

  @Test func chiSquaredIgnoresCategoriesEmptyOnBothSides() {
    let withEmpty = TwoSampleTest.chiSquared(referenceCounts: [30, 0, 50, 20], currentCounts: [45, 0, 40, 15])
    #expect(withEmpty.degreesOfFreedom == 2)
    #expect(abs(withEmpty.statistic - 4.825396825396825) < 1e-9)
  }

  @Test func chiSquaredTailMatchesScipyAcrossShapes() {
    #expect(abs(SpecialFunctions.chiSquaredTail(0.5, degreesOfFreedom: 1) - 0.47950012218695337) < 1e-10)
    #expect(abs(SpecialFunctions.chiSquaredTail(3.0, degreesOfFreedom: 4) - 0.5578254003710748) < 1e-10)
    #expect(abs(SpecialFunctions.chiSquaredTail(25.0, degreesOfFreedom: 3) - 1.5440498291101365e-05) < 1e-12)
    #expect(abs(SpecialFunctions.chiSquaredTail(40, degreesOfFreedom: 10) - 1.694474393006737e-05) < 1e-12)
    #expect(abs(SpecialFunctions.chiSquaredTail(200, degreesOfFreedom: 150) - 0.003973185970821635) < 1e-10)
  }
}

@Suite struct ChiSquaredPoolingTests {
  @Test func categoriesWithExpectedCountsBelowFiveArePooled() {
    let pooled = TwoSampleTest.chiSquared(referenceCounts: [100, 100, 2, 1], currentCounts: [50, 50, 0, 3])
    let merged = TwoSampleTest.chiSquared(referenceCounts: [100, 100, 3], currentCounts: [50, 50, 3])
    #expect(pooled.degreesOfFreedom == 2)
    #expect(abs(pooled.statistic - merged.statistic) < 1e-12)
    #expect(abs(pooled.pValue - merged.pValue) < 1e-12)
  }
}
