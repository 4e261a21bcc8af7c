import Foundation
import Testing

/// A tiny generated binary-classification project: 240 rows of two numbers and a colour, the
/// label a noisy threshold of their sum; an experiment with a 4-trial sweep of 3-epoch MLPs.
private func makeTinyProject() throws -> URL {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-sweep-cli-\(UUID().uuidString)")
  let data = root.appendingPathComponent("datasets/tiny")
  try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
  try FileManager.default.createDirectory(at: root.appendingPathComponent("experiments"), withIntermediateDirectories: true)
  var state: UInt64 = 12_345
  func uniform() -> Double {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Double(state >> 11) / Double(1 << 53)
  }
  func rows(_ count: Int) -> String {
    var text = "a,b,color,y\n"
    for _ in 0..<count {
      let a = uniform() * 4 - 2, b = uniform() * 4 - 2
      let color = ["red", "green", "blue"][Int(uniform() * 3) % 3]
      let label = a + 0.5 * b + (color == "red" ? 0.5 : 0) + (uniform() - 0.5) > 0 ? "yes" : "no"
      text += String(format: "%.4f,%.4f,%@,%@\n", a, b, color, label)
    }
    return text
  }
  try rows(180).write(to: data.appendingPathComponent("train.csv"), atomically: true, encoding: .utf8)
  try rows(60).write(to: data.appendingPathComponent("test.csv"), atomically: true, encoding: .utf8)
  try """
    name: tiny
    version: "1"
    source: generated for tests
    license: none
    format: {delimiter: ",", header: true, missing: []}
    files: {train: train.csv, test: test.csv}
    validation: {fraction: 0.25, seed: 2}
    label: {column: y, positive: "yes", negative: "no"}
    columns: {numeric: [a, b], categorical: [color]}
    sensitive:
      - {name: color, column: color, input: true}
    missing_policy: drop
    """.write(to: data.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
  try """
    name: tiny-sweep
    dataset: datasets/tiny/tiny.h5
    model: {kind: mlp, hidden: [8], activation: relu}
    training:
      epochs: 3
      batch_size: 32
      seed: 7
      optimizer: {kind: adam, lr: 1.0e-2}
    gates:
      - {metric: test.accuracy, min: 0.0}
    sweep:
      objective: {metric: validation.roc_auc, direction: maximize}
      sampler: tpe
      trials: 4
      pruner: {kind: asha, min_resource: 1, reduction_factor: 2}
      space:
        training.optimizer.lr: {loguniform: [1.0e-3, 1.0e-1]}
        training.batch_size: {choice: ["16", "32"]}
    """.write(to: root.appendingPathComponent("experiments/tiny.yaml"), atomically: true, encoding: .utf8)
  return root
}

@Suite struct SweepCLITests {
  @Test func aSweepOfFourTrialsOnTwoWorkersIsTrackedAndShown() throws {
    let root = try makeTinyProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let imported = try runKiln(["dataset", "import", "datasets/tiny/dataset.yaml"], in: root)
    try #require(imported.status == 0, "import failed: \(imported.stderr)")

    let sweep = try runKiln(["sweep", "experiments/tiny.yaml", "--parallel", "2"], in: root)
    try #require(sweep.status == 0, "sweep failed: \(sweep.stderr)")
    let firstLine = try #require(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("sweep ") })
    let sweepID = String(try #require(firstLine.split(separator: " ").dropFirst().first).dropLast())
    #expect(sweep.stdout.contains("best: trial"))

    let shown = try runKiln(["sweep", "show", sweepID, "--json"], in: root)
    try #require(shown.status == 0, "show failed: \(shown.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
    let trials = try #require(object["trials"] as? [[String: Any]])
    #expect(trials.count == 4)
    #expect(trials.allSatisfy { ["complete", "pruned"].contains($0["state"] as? String) })
    #expect(trials.allSatisfy { $0["run"] is String })
    let best = try #require(object["best"] as? [String: Any])
    let value = try #require(best["value"] as? Double)
    #expect(value > 0.5 && value <= 1)
    let overrides = try #require(best["overrides"] as? [String])
    #expect(overrides.contains { $0.hasPrefix("training.optimizer.lr=") })
    #expect(best["configuration"] is [String: Any])

    let children = try runKiln(["runs", "list", "--json"], in: root)
    #expect(children.stdout.contains(sweepID))

    // Each trial is a training run with its resource use; the sweep's run holds their totals.
    func resources(_ runID: String) throws -> [String: Any] {
      let shown = try runKiln(["runs", "show", runID, "--json"], in: root)
      try #require(shown.status == 0, "\(shown.stderr)")
      let report = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
      return try #require(report["resources"] as? [String: Any], "run \(runID) has no resources")
    }
    var trialCPU = 0.0, trialSamples = 0.0
    for trial in trials {
      let usage = try resources(try #require(trial["run"] as? String))
      let cpu = try #require(usage["cpu_seconds"] as? Double), samples = try #require(usage["samples"] as? Double)
      #expect(cpu > 0 && samples > 0 && (usage["peak_rss_bytes"] as? Double ?? 0) > 8 * 1_048_576, "\(usage)")
      trialCPU += cpu
      trialSamples += samples
    }
    let total = try resources(sweepID)
    #expect(total["trials"] as? Double == 4 && total["samples"] as? Double == trialSamples, "\(total)")
    #expect(abs((total["cpu_seconds"] as? Double ?? 0) - trialCPU) <= 1e-9 * trialCPU, "\(total)")
  }
}

@Suite struct PipelineFromSweepCLITests {
  @Test func thePipelineTrainsTheBestTrialOfTheLatestSweepUnlessToldNotTo() throws {
    let root = try makeTinyProject()
    defer { try? FileManager.default.removeItem(at: root) }
    let imported = try runKiln(["dataset", "import", "datasets/tiny/dataset.yaml"], in: root)
    try #require(imported.status == 0, "import failed: \(imported.stderr)")
    let sweep = try runKiln(["sweep", "experiments/tiny.yaml", "--trials", "2"], in: root)
    try #require(sweep.status == 0, "sweep failed: \(sweep.stderr)")
    let firstLine = try #require(sweep.stdout.split(separator: "\n").first { $0.hasPrefix("sweep ") })
    let sweepID = String(try #require(firstLine.split(separator: " ").dropFirst().first).dropLast())

    let piped = try runKiln(["pipeline", "experiments/tiny.yaml", "--quiet"], in: root)
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(piped.stderr.contains("of sweep \(sweepID) is the best"))
    #expect(piped.stderr.contains("--set training.optimizer.lr="))

    let plain = try runKiln(["pipeline", "experiments/tiny.yaml", "--quiet", "--ignore-sweeps"], in: root)
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(!plain.stderr.contains("is the best"))

    let unknown = try runKiln(["pipeline", "experiments/tiny.yaml", "--quiet", "--sweep", "nosuchrun"], in: root)
    #expect(unknown.status != 0)
  }
}
