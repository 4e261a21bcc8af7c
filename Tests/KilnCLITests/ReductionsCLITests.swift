import Foundation
import Testing

/// `kiln pipeline`, `kiln evaluate` and `kiln predict` with `mitigation.reductions`: the run stores
/// the reduction's mixture (or its heaviest model) and every scorer decides with it.
@Suite struct ReductionsCLITests {
  /// The toy experiment under exponentiated gradient for demographic parity by sex.
  static func experiment(name: String, predictor: String) -> String {
    MonitoringProject.experiment.replacingOccurrences(of: "name: toy-model", with: "name: \(name)")
      .replacingOccurrences(of: "evaluation: {bootstrap:", with: "evaluation: {sensitive: [sex], bootstrap:")
      + "\nmitigation: {reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [sex], "
      + "max_iter: 5, predictor: \(predictor)}}\n"
  }

  static func parityGap(run: String, in root: URL) throws -> Double {
    let evaluated = try runKiln(["evaluate", "--run", run, "--json"], in: root)
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let printed = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
    let metrics = try #require(printed["metrics"] as? [String: [String: Any]])
    return try #require(metrics["fairness.sex.demographic_parity_difference"]?["value"] as? Double)
  }

  static func mixtureFiles(run: String, in root: URL) throws -> [String] {
    let directory = root.appendingPathComponent(".kiln/runs/\(run)/checkpoints")
    return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("mixture-") }.sorted()
  }

  @Test func thePipelineTrainsEvaluatesAndCardsAMixtureThatNarrowsTheGap() throws {
    let project = try MonitoringProject.make(maleEffect: 2)
    defer { project.remove() }
    try Self.experiment(name: "toy-fair", predictor: "mixture")
      .write(to: project.root.appendingPathComponent("experiments/fair.yaml"), atomically: true, encoding: .utf8)
    let result = try runKiln(["pipeline", "experiments/fair.yaml"], in: project.root)
    let output = result.stdout + result.stderr
    #expect([0, 3].contains(result.status), "\(output)")
    let marker = "mitigation: the unmitigated baseline (same seed) is run "
    let baseline = String(try #require(output.components(separatedBy: marker).dropFirst().first).prefix { !$0.isWhitespace })
    let runs = try FileManager.default.contentsOfDirectory(atPath: project.root.appendingPathComponent(".kiln/runs").path)
    let mitigated = try #require(try runs.first { try !Self.mixtureFiles(run: $0, in: project.root).isEmpty }, "\(runs)")
    #expect(mitigated != baseline)

    // The mixture's evaluation has a smaller selection-rate gap than the same model unmitigated.
    let before = try Self.parityGap(run: baseline, in: project.root)
    let after = try Self.parityGap(run: mitigated, in: project.root)
    #expect(before > 0.2, "the toy data's gap is \(before)")
    #expect(after < before / 2, "before \(before), after \(after)")

    let card = try String(contentsOf: project.root.appendingPathComponent("reports/toy-fair/v1/model-card.md"), encoding: .utf8)
    #expect(card.contains("### Mitigation: before and after"), "\(card)")
    #expect(card.contains("exponentiated_gradient under demographic_parity by sex (predictor: mixture)"), "\(card)")

    // `kiln predict` decides by the seeded mixture: the same decisions twice.
    let input = try project.write(MonitoringProject.rows(count: 300, seed: 51, maleEffect: 2), named: "batch.csv")
    let first = try runKiln(["predict", "--run", mitigated, "--input", input, "--output", "first.csv"], in: project.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("decided by the reduction's mixture, seeded per row"), "\(first.stdout)")
    let (a, b) = try project.scoredTwice(run: mitigated, input: input)
    #expect(a == b)
    #expect(a.split(separator: "\n").count == 301)
    let dataset = try runKiln(["predict", "--run", mitigated, "--input", "datasets/toy/toy.h5", "--output", "c.csv", "--json"], in: project.root)
    #expect(dataset.status == 0, "\(dataset.stderr)")
  }

  @Test func theBestPredictorStoresOnlyTheHeaviestModel() throws {
    let project = try MonitoringProject.make(maleEffect: 2)
    defer { project.remove() }
    try Self.experiment(name: "toy-best", predictor: "best")
      .write(to: project.root.appendingPathComponent("experiments/best.yaml"), atomically: true, encoding: .utf8)
    let trained = try runKiln(["train", "experiments/best.yaml"], in: project.root)
    #expect(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
    let run = String(try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" })
    let shown = try runKiln(["runs", "show", run], in: project.root)
    #expect(shown.stdout.contains("reductions(exponentiated_gradient; demographic_parity; sex; best)"), "\(shown.stdout)")
    #expect(try Self.mixtureFiles(run: run, in: project.root).isEmpty)
    _ = try Self.parityGap(run: run, in: project.root)
    let input = try project.write(MonitoringProject.rows(count: 50, seed: 52), named: "batch.csv")
    #expect(try runKiln(["predict", "--run", run, "--input", input, "--output", "a.csv"], in: project.root).status == 0)
  }
}
