import KilnRandom
import Foundation
import KilnData
import KilnNN
import Testing
@testable import KilnRobustness

@Suite struct PerturbationTests {
  let fixture = try! RobustnessFixture(rowCount: 200)

  func apply(_ perturbation: Perturbation, seed: UInt64 = 1) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return perturbation.applied(to: fixture.encoded.features, rowCount: fixture.encoded.rowCount, layout: fixture.layout,
                                using: &generator)
  }

  func changedColumns(_ perturbed: [Float]) -> Set<Int> {
    let width = fixture.encoded.featureCount
    return Set(perturbed.indices.filter { perturbed[$0] != fixture.encoded.features[$0] }.map { $0 % width })
  }

  @Test func gaussianNoiseMovesOnlyMutableNumericsWithTheConfiguredSpread() {
    let perturbed = apply(.gaussianNoise(standardDeviation: 0.3))
    #expect(changedColumns(perturbed) == [0, 2])
    let width = fixture.encoded.featureCount
    let deltas = (0..<fixture.encoded.rowCount).map { Double(perturbed[$0 * width] - fixture.encoded.features[$0 * width]) }
    let deviation = sqrt(deltas.map { $0 * $0 }.reduce(0, +) / Double(deltas.count))
    #expect(abs(deviation - 0.3) < 0.05)
  }

  @Test func theSameSeedGivesTheSamePerturbation() {
    #expect(apply(.gaussianNoise(standardDeviation: 0.1), seed: 4) == apply(.gaussianNoise(standardDeviation: 0.1), seed: 4))
    #expect(apply(.gaussianNoise(standardDeviation: 0.1), seed: 4) != apply(.gaussianNoise(standardDeviation: 0.1), seed: 5))
  }

  @Test func everyFeatureMissingLooksExactlyAsTheEncoderWritesMissingValues() throws {
    let perturbed = apply(.missingFeatures(rate: 1))
    let missingRows = fixture.rows.map { ["?", "?", "?", $0[3]] }
    let encodedMissing = try RobustnessFixture.encoding.encode(rawRows: missingRows)
    #expect(perturbed == encodedMissing.features)
  }

  @Test func missingFeaturesAtARateHitAboutThatShareOfBlocks() {
    let perturbed = apply(.missingFeatures(rate: 0.25))
    let width = fixture.encoded.featureCount
    let hits = (0..<fixture.encoded.rowCount).filter { perturbed[$0 * width + 1] == 1 }.count
    #expect(abs(Double(hits) / Double(fixture.encoded.rowCount) - 0.25) < 0.08)
    #expect(!changedColumns(perturbed).contains(8) && !changedColumns(perturbed).contains(9))
  }

  @Test func categoryCorruptionSwapsToAnotherNamedCategoryAndKeepsTheGroupOneHot() {
    let perturbed = apply(.categoryCorruption(rate: 1))
    let width = fixture.encoded.featureCount
    for row in 0..<fixture.encoded.rowCount {
      let before = Array(fixture.encoded.features[(row * width + 3)..<(row * width + 7)])
      let after = Array(perturbed[(row * width + 3)..<(row * width + 7)])
      #expect(after.filter { $0 == 1 }.count == 1 && after.filter { $0 == 0 }.count == 3)
      #expect(after != before)
      #expect(after[3] == 0, "never the unknown bucket")
    }
    #expect(changedColumns(perturbed).isSubset(of: [3, 4, 5]))
  }

  @Test func categoryCorruptionAtRateZeroChangesNothing() {
    #expect(apply(.categoryCorruption(rate: 0)) == fixture.encoded.features)
  }
}
