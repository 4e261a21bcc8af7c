import Foundation
@testable import KilnMetrics

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for test data and bootstraps.
struct TestGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Synthetic audit data: two groups by `sex`, five by `race`, labels and scores whose relation
/// depends on the group, predictions from thresholding scores at 0.5.
struct SyntheticPredictions {
  var labels: [Int] = []
  var predictions: [Int] = []
  var scores: [Double] = []
  var sex: [String] = []
  var race: [String] = []

  init(rows: Int, seed: UInt64) {
    var generator = TestGenerator(seed: seed)
    let races = ["a", "b", "c", "d", "e"]
    for _ in 0..<rows {
      let female = Double.random(in: 0..<1, using: &generator) < 0.45
      let race = Int.random(in: 0..<5, using: &generator)
      let label = Double.random(in: 0..<1, using: &generator) < 0.3 + 0.05 * Double(race) ? 1 : 0
      let noise = Double.random(in: 0..<1, using: &generator)
      let score = min(max(0.3 * Double(label) + 0.55 * noise + 0.1 - (female ? 0.05 : 0), 0), 1)
      labels.append(label)
      scores.append(score)
      predictions.append(score >= 0.5 ? 1 : 0)
      sex.append(female ? "Female" : "Male")
      self.race.append(races[race])
    }
  }

  var attributes: [SensitiveAttribute] {
    [SensitiveAttribute(name: "sex", values: sex), SensitiveAttribute(name: "race", values: race)]
  }
}

/// Reads a fairlearn reference case's inputs (see `MetricFrameFairlearnGoldenTests`).
struct ReferenceCase {
  var labels: [Int]
  var predictions: [Int]
  var scores: [Double]?
  var attributes: [SensitiveAttribute]
  var expected: [String: Any]

  init(_ file: String) throws {
    let url = MetricFrameFairlearnGoldenTests.referenceDirectory.appendingPathComponent(file)
    let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let inputs = root["inputs"] as! [String: Any]
    labels = inputs["y_true"] as! [Int]
    predictions = inputs["y_pred"] as! [Int]
    scores = (inputs["y_score"] as? [NSNumber])?.map(\.doubleValue)
    expected = root["expected"] as! [String: Any]
    let sensitive = inputs["sensitive"] as! [String: [Any]]
    attributes = (expected["sensitive"] as! [String]).map {
      SensitiveAttribute(name: $0, values: sensitive[$0]!.map(MetricFrameFairlearnGoldenTests.labelText))
    }
  }

  func fairness(_ section: String, _ measure: String, _ method: String) -> Double {
    let sections = expected["sections"] as! [String: [String: Any]]
    let fairness = sections[section]!["fairness"] as! [String: [String: Any]]
    return (fairness[measure]![method] as? NSNumber)?.doubleValue ?? .nan
  }
}

/// Binary labels and tied scores shared by the metric tests (expected values in each test file).
let binaryLabels = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0]
let binaryScores = [0.9, 0.1, 0.8, 0.35, 0.4, 0.35, 0.7, 0.2, 0.55, 0.6, 0.05, 0.35, 0.95, 0.5, 0.65, 0.3,
                    0.45, 0.15, 0.5, 0.85, 0.7, 0.25, 0.35, 0.0]
