import KilnRandom
import Foundation
import KilnData
import KilnTensor
import KilnConfiguration

/// A seeded, generated binary classification task written as a Kiln dataset: two interleaved
/// half-moons in the first two features plus noise features, and a sensitive attribute `group`
/// (a, b) that is correlated with the label. Used by the tests and by the demo before any real
/// data is imported.
public enum SyntheticTask {
  /// Writes the dataset to `url` with `rows` rows and `noiseFeatures` extra Gaussian features,
  /// split 70 / 15 / 15 into train, validation and test. Returns the fingerprint.
  @discardableResult
  public static func write(to url: URL, rows: Int = 2_000, noiseFeatures: Int = 6, seed: UInt64 = 1) throws -> String {
    precondition(rows >= 20, "SyntheticTask: \(rows) rows are too few to split")
    var generator = SeededGenerator(seed: seed, stream: .syntheticData(.moons))
    let featureCount = 2 + noiseFeatures
    var features: [Float] = []
    features.reserveCapacity(rows * featureCount)
    var labels: [Int32] = [], groups: [Int32] = []
    for _ in 0..<rows {
      let label = generator.nextDouble() < 0.5 ? 0 : 1
      let angle = Double.pi * generator.nextDouble()
      let x = label == 0 ? cos(angle) : 1 - cos(angle)
      let y = label == 0 ? sin(angle) : 0.5 - sin(angle)
      features.append(Float(x + 0.15 * generator.nextNormal()))
      features.append(Float(y + 0.15 * generator.nextNormal()))
      for _ in 0..<noiseFeatures { features.append(Float(generator.nextNormal())) }
      labels.append(Int32(label))
      // Group b is more common among positives, so selection rates differ by group.
      groups.append(generator.nextDouble() < (label == 1 ? 0.65 : 0.35) ? 1 : 0)
    }
    return try write(to: url, name: "synthetic-moons", features: features, noiseFeatures: noiseFeatures, groups: groups,
                     label: LabelColumn(name: "label", classes: ["0", "1"], codes: labels), generator: &generator, seed: seed)
  }
}
