import Foundation
import Testing
@testable import KilnDrift

@Suite struct PopulationStabilityIndexTests {
  @Test func indexMatchesTheFormulaOnHandCounts() {
    let psi = PopulationStabilityIndex.index(referenceCounts: [50, 30, 20], currentCounts: [30, 30, 40])
    let expected = (0.3 - 0.5) * log(0.3 / 0.5) + 0 + (0.4 - 0.2) * log(0.4 / 0.2)
    #expect(abs(psi - expected) < 1e-12)
  }

  @Test func indexIsZeroForEqualSharesAndFloorsEmptyBins() {
    #expect(PopulationStabilityIndex.index(referenceCounts: [10, 20], currentCounts: [20, 40]) == 0)
    let unseen = PopulationStabilityIndex.index(referenceCounts: [100, 0], currentCounts: [95, 5])
    let expected = (0.95 - 1) * log(0.95) + (0.05 - 1e-4) * log(0.05 / 1e-4)
    #expect(abs(unseen - expected) < 1e-12)
  }

  @Test func quantileEdgesSplitTheReferenceIntoEqualBinsAndDropDuplicates() {
    let values = (1...100).map(Double.init)
    let edges = PopulationStabilityIndex.quantileEdges(sortedReference: values, bins: 4)
    #expect(edges == [25, 50, 75])
    #expect(PopulationStabilityIndex.counts(sorted: values, edges: edges) == [25, 25, 25, 25])
    let discrete = [0.0, 0, 0, 0, 0, 0, 0, 1, 1, 2]
    #expect(PopulationStabilityIndex.quantileEdges(sortedReference: discrete, bins: 10) == [0, 1])
  }
}

@Suite struct RadixSortTests {
  @Test func orderSortsMixedSignsAndKeepsTiesInRowOrder() {
    let values = [3.5, -1.0, 0.0, -0.0, 2.0, -7.25, 3.5, 1e300, -1e-300]
    let order = RadixSort.order(of: values).map(Int.init)
    #expect(order.map { values[$0] } == values.sorted())
    #expect(order.firstIndex(of: 0)! < order.firstIndex(of: 6)!)
  }

  @Test func orderMatchesTheStandardSortOnARandomSample() {
    var generator = TestGenerator(seed: 9)
    let values = (0..<5000).map { _ in generator.normal() * 100 }
    #expect(RadixSort.order(of: values).map { values[Int($0)] } == values.sorted())
  }
}
