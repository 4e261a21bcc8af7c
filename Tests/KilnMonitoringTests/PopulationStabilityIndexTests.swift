import Foundation
import Testing
@testable import KilnMonitoring

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
