import Foundation
import KilnMetricDirection
import KilnSweep
import Testing

@Suite struct ParetoTests {
  @Test func dominanceNeedsNoWorseEverywhereAndBetterSomewhere() {
    let both: [MetricDirection] = [.minimize, .maximize]
    #expect(Pareto.dominates([1, 5], [2, 4], directions: both))
    #expect(!Pareto.dominates([1, 5], [1, 5], directions: both))
    #expect(!Pareto.dominates([1, 3], [2, 4], directions: both))
    #expect(Pareto.dominates([1, 3], [.nan, 0], directions: both))
    #expect(!Pareto.dominates([.nan, 9], [5, 0], directions: both))
  }

  @Test func ranksPeelFrontsInOrder() {
    let points: [[Double]] = [[1, 4], [2, 2], [4, 1], [2, 4], [3, 3], [4, 4], [1, 4]]
    #expect(Pareto.ranks(points, directions: [.minimize, .minimize]) == [0, 0, 0, 1, 1, 2, 0])
  }

  @Test func crowdingDistanceFavoursExtremesAndSparseRegions() {
    let front: [[Double]] = [[0, 4], [1, 3], [1.5, 2.5], [4, 0]]
    let distances = Pareto.crowdingDistances(front)
    #expect(distances[0] == .infinity && distances[3] == .infinity)
    // Point 1: (1.5 − 0)/4 + (4 − 2.5)/4; point 2: (4 − 1)/4 + (3 − 0)/4.
    #expect(abs(distances[1] - 0.75) < 1e-12)
    #expect(abs(distances[2] - 1.5) < 1e-12)
  }

  @Test func selectionKeepsWholeFrontsThenTheLeastCrowded() {
    let points: [[Double]] = [[0, 4], [1, 3], [1.5, 2.5], [4, 0], [5, 5], [1.1, 2.9]]
    // Front 0 holds all but point 4; choosing four drops its most crowded point, 5 (crowding
    // 0.25 against 0.55 for point 1 and 1.45 for point 2; the extremes are infinite).
    #expect(Pareto.select(4, from: points, directions: [.minimize, .minimize]) == [0, 1, 2, 3])
    #expect(Pareto.select(6, from: points, directions: [.minimize, .minimize]) == [0, 1, 2, 3, 4, 5])
  }

  @Test func hypervolumeMatchesPymoo() throws {
    struct Golden: Decodable {
      struct Case: Decodable { let seed: Int; let points: [[Double]]; let reference: [Double]; let hypervolume: Double }
      let cases: [Case]
    }
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/hypervolume/hypervolume_goldens.json")
    let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: url))
    #expect(golden.cases.count == 5)
    for entry in golden.cases {
      let directions = [MetricDirection](repeating: .minimize, count: entry.reference.count)
      let volume = Pareto.hypervolume(entry.points, reference: entry.reference, directions: directions)
      #expect(abs(volume - entry.hypervolume) < 1e-12, "seed \(entry.seed): \(volume) against pymoo's \(entry.hypervolume)")
    }
  }

  @Test func hypervolumeOfMaximisedObjectivesMirrorsMinimised() {
    let minimised = Pareto.hypervolume([[1, 2], [2, 1]], reference: [3, 3], directions: [.minimize, .minimize])
    let maximised = Pareto.hypervolume([[-1, -2], [-2, -1]], reference: [-3, -3], directions: [.maximize, .maximize])
    #expect(minimised == 3 && maximised == 3)
  }
}
