import Foundation
import Testing

/// A throwaway project with a small generated dataset (age, hours, colour, sex → y), imported,
/// an experiment file with a `monitoring:` block, and helpers that write current batches.
struct MonitoringProject {
  let root: URL

  /// xoshiro256** seeded by splitmix64, for reproducible rows.
  struct Generator: RandomNumberGenerator {
    var s: (UInt64, UInt64, UInt64, UInt64)
    init(seed: UInt64) {
      var x = seed
      func next() -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
      }
      s = (next(), next(), next(), next())
    }
    mutating func next() -> UInt64 {
      func rotl(_ v: UInt64, _ k: UInt64) -> UInt64 { (v << k) | (v >> (64 - k)) }
      let result = rotl(s.1 &* 5, 7) &* 9
      let t = s.1 << 17
      s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
      s.2 ^= t; s.3 = rotl(s.3, 45)
      return result
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func normal() -> Double {
      (-2 * log(max(uniform(), 1e-300))).squareRoot() * cos(2 * .pi * uniform())
    }
  }

  /// CSV rows `age,hours,colour,sex,y`; `ageShift` moves ages, `femaleShare` sets the sex mix,
  /// `unseenShare` of colours become `purple` (absent from the training data), `maleEffect` adds
  /// to a man's log-odds of y = 1 (a selection-rate gap for fairness mitigations to close).
  static func rows(count: Int, seed: UInt64, ageShift: Double = 0, femaleShare: Double = 0.3,
                   unseenShare: Double = 0, maleEffect: Double = 0) -> [String] {
    var generator = Generator(seed: seed)
    let colours = ["red", "green", "blue"]
    return (0..<count).map { _ in
      let age = Int((40 + ageShift + 10 * generator.normal()).rounded())
      let hours = Int(20 + 40 * generator.uniform())
      let colour = generator.uniform() < unseenShare ? "purple" : colours[Int(generator.next() % 3)]
      let sex = generator.uniform() < femaleShare ? "Female" : "Male"
      let positive = generator.uniform() < 1 / (1 + exp(-(Double(age) - 40) / 8 - (colour == "red" ? 0.5 : 0) - (sex == "Male" ? maleEffect : 0)))
      return "\(age),\(hours),\(colour),\(sex),\(positive ? 1 : 0)"
    }
  }

  static let recipe = """
    name: toy
    version: "1"
    source: generated
    license: CC0
    format: {delimiter: ",", header: false, columns: [age, hours, colour, sex, y], missing: ["?"]}
    split: {file: raw/all.csv, test_fraction: 0.2, seed: 3}
    validation: {fraction: 0.1, seed: 4}
    label: {column: y, positive: "1", negative: "0"}
    columns: {numeric: [age, hours], categorical: [colour, sex]}
    sensitive:
      - {name: sex, column: sex, input: true}
    missing_policy: drop
    encoding: {categorical: one_hot, numeric: standardize}
    """

  static let experiment = """
    name: toy-model
    dataset: datasets/toy/toy.h5
    model: {kind: mlp, hidden: [8], activation: relu}
    training: {epochs: 3, batch_size: 64, seed: 7, optimizer: {kind: adam, lr: 0.01}}
    evaluation: {bootstrap: {resamples: 200, confidence: 0.9}}
    monitoring: {psi_threshold: 0.2, p_value: 0.01, min_group_size: 50, max_metric_drop: 0.1}
    """

  /// The toy experiment renamed `toy-fair`, deciding by demographic-parity group thresholds for `sex`.
  static let groupThresholdsExperiment = experiment.replacingOccurrences(of: "name: toy-model", with: "name: toy-fair")
    + "\nmitigation: {thresholds: {constraint: demographic_parity, sensitive: [sex]}}\n"

  /// Makes the project and imports its dataset with `kiln dataset import`.
  static func make(maleEffect: Double = 0) throws -> MonitoringProject {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-monitoring-\(UUID().uuidString)")
    let raw = root.appendingPathComponent("datasets/toy/raw")
    try FileManager.default.createDirectory(at: raw, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
    try (rows(count: 3000, seed: 1, maleEffect: maleEffect).joined(separator: "\n") + "\n").write(to: raw.appendingPathComponent("all.csv"), atomically: true, encoding: .utf8)
    try recipe.write(to: root.appendingPathComponent("datasets/toy/dataset.yaml"), atomically: true, encoding: .utf8)
    try experiment.write(to: root.appendingPathComponent("experiments/toy.yaml"), atomically: true, encoding: .utf8)
    let imported = try runKiln(["dataset", "import", "datasets/toy/dataset.yaml"], in: root)
    guard imported.status == 0 else { throw MonitoringProjectError(message: imported.stdout + imported.stderr) }
    return MonitoringProject(root: root)
  }

  /// Writes `lines` to a file in the project and returns its path.
  func write(_ lines: [String], named name: String) throws -> String {
    let url = root.appendingPathComponent(name)
    try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  /// Scores `input` with run `run` into `a.csv` and again into `b.csv`; returns both files' text
  /// (seeded randomised decisions make them equal).
  func scoredTwice(run: String, input: String) throws -> (String, String) {
    for name in ["a.csv", "b.csv"] {
      let scored = try runKiln(["predict", "--run", run, "--input", input, "--output", name], in: root)
      guard scored.status == 0 else { throw MonitoringProjectError(message: scored.stdout + scored.stderr) }
    }
    return (try String(contentsOf: root.appendingPathComponent("a.csv"), encoding: .utf8),
            try String(contentsOf: root.appendingPathComponent("b.csv"), encoding: .utf8))
  }

  /// Writes `text` to `experiments/NAME.yaml`, trains it with `kiln train` and returns the run's id.
  func train(_ text: String, named name: String = "fair") throws -> String {
    try text.write(to: root.appendingPathComponent("experiments/\(name).yaml"), atomically: true, encoding: .utf8)
    let trained = try runKiln(["train", "experiments/\(name).yaml"], in: root)
    #expect(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
    return String(try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" })
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

struct MonitoringProjectError: Error { var message: String }
