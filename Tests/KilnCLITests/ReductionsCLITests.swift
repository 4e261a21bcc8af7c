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
    try (Self.experiment(name: "toy-fair", predictor: "mixture") + "gates:\n  - {metric: fairness.sex.demographic_parity_difference, max: 0.2}\n")
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
    // The card says what the gates would have made of the baseline (its gap is over the gate's 0.2).
    #expect(card.contains("before, the gates would reject it (`fairness.sex.demographic_parity_difference ≤ 0.2`"), "\(card)")
    #expect(output.contains("mitigation: on the baseline, the gates would reject it"), "\(output)")

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
    let run = try project.train(Self.experiment(name: "toy-best", predictor: "best"), named: "best")
    let shown = try runKiln(["runs", "show", run], in: project.root)
    #expect(shown.stdout.contains("reductions(exponentiated_gradient; demographic_parity; sex; best)"), "\(shown.stdout)")
    #expect(try Self.mixtureFiles(run: run, in: project.root).isEmpty)
    _ = try Self.parityGap(run: run, in: project.root)
    let input = try project.write(MonitoringProject.rows(count: 50, seed: 52), named: "batch.csv")
    #expect(try runKiln(["predict", "--run", run, "--input", input, "--output", "a.csv"], in: project.root).status == 0)
  }

  @Test func aRegressionMixturePredictsTheSameValuesWithTheSameSeedThroughTheCLI() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.regression)
    _ = try project.write("""
      name: shapes-fair
      dataset: datasets/regression/regression.h5
      model: {kind: mlp, hidden: [8], activation: relu}
      training: {epochs: 4, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 0.02}}
      evaluation: {sensitive: [group], bootstrap: {resamples: 50, confidence: 0.9}}
      mitigation: {reductions: {method: exponentiated_gradient, constraint: bounded_group_loss, upper_bound: 0.05, sensitive: [group], max_iter: 5}}

      """, named: "experiments/fair.yaml")
    let trained = try runKiln(["train", "experiments/fair.yaml"], in: project.root)
    #expect(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
    #expect(trained.stdout.contains("reductions: validation of the mixture: "), "\(trained.stdout)")
    let run = String(try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" })

    let evaluated = try runKiln(["evaluate", "--run", run, "--json"], in: project.root)
    #expect(evaluated.status == 0, "\(evaluated.stderr)")
    let printed = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
    let metrics = try #require(printed["metrics"] as? [String: [String: Any]])
    #expect(metrics["test.rmse"]?["value"] is Double)
    #expect(metrics["fairness.group.group_max.mse"]?["value"] is Double, "\(metrics.keys.sorted())")

    let input = try project.write(LabelKindProject.rows(120, seed: 9, kind: .regression), named: "batch.csv")
    let first = try runKiln(["predict", "--run", run, "--input", input, "--output", "a.csv"], in: project.root)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("predicted by the reduction's mixture: one member per row, seeded"), "\(first.stdout)")
    let second = try runKiln(["predict", "--run", run, "--input", input, "--output", "b.csv"], in: project.root)
    #expect(second.status == 0, "\(second.stderr)")
    let a = try String(contentsOf: project.root.appendingPathComponent("a.csv"), encoding: .utf8)
    #expect(a == (try String(contentsOf: project.root.appendingPathComponent("b.csv"), encoding: .utf8)))
    #expect(a.split(separator: "\n").count == 121)
  }

  /// The toy experiment under exponentiated gradient with a sweep over the constraint's bound.
  static func sweptExperiment(spaceKey: String) -> String {
    experiment(name: "toy-swept", predictor: "mixture") + """
      sweep:
        objectives:
          - {metric: validation.roc_auc, direction: maximize}
          - {metric: validation.fairness.sex.demographic_parity_difference, direction: minimize}
        sampler: random
        trials: 3
        space:
          \(spaceKey): {loguniform: [0.005, 0.2]}

      """
  }

  @Test func aSweepOverTheReductionsBoundRunsItsTrialsAndAMisspeltKeyStopsBeforeTheFirst() throws {
    let project = try MonitoringProject.make(maleEffect: 2)
    defer { project.remove() }
    try Self.sweptExperiment(spaceKey: "mitigation.reductions.difference_bund")
      .write(to: project.root.appendingPathComponent("experiments/swept.yaml"), atomically: true, encoding: .utf8)
    let misspelt = try runKiln(["sweep", "experiments/swept.yaml"], in: project.root)
    #expect(misspelt.status != 0)
    #expect(misspelt.stderr.contains("sweep.space.mitigation.reductions.difference_bund"), "\(misspelt.stderr)")
    #expect(misspelt.stderr.contains("difference_bound"), "the nearest key is suggested: \(misspelt.stderr)")
    let runs = project.root.appendingPathComponent(".kiln/runs")
    #expect((try? FileManager.default.contentsOfDirectory(atPath: runs.path))?.isEmpty ?? true, "no trial ran")

    try Self.sweptExperiment(spaceKey: "mitigation.reductions.difference_bound")
      .write(to: project.root.appendingPathComponent("experiments/swept.yaml"), atomically: true, encoding: .utf8)
    let swept = try runKiln(["sweep", "experiments/swept.yaml", "--json"], in: project.root)
    #expect(swept.status == 0, "\(swept.stderr)")
    let summary = try #require(try JSONSerialization.jsonObject(with: Data(swept.stdout.utf8)) as? [String: Any])
    let trials = try #require(summary["trials"] as? [[String: Any]], "\(summary.keys.sorted())")
    #expect(trials.count == 3)
    #expect(trials.allSatisfy { $0["state"] as? String == "complete" }, "\(trials)")
    // Each trial is a mixture fitted under its own bound, and its recorded objective is the mixture's.
    var bounds: Set<String> = []
    for trial in trials {
      let run = try #require(trial["run"] as? String)
      #expect(try !Self.mixtureFiles(run: run, in: project.root).isEmpty)
      let parameters = try #require(trial["parameters"] as? [String: Any])
      bounds.insert("\(try #require(parameters["mitigation.reductions.difference_bound"] as? Double, "\(parameters)"))")
      let values = try #require(trial["values"] as? [Double])
      let evaluated = try runKiln(["evaluate", "--run", run, "--split", "validation", "--json"], in: project.root)
      #expect(evaluated.status == 0, "\(evaluated.stderr)")
      let printed = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [String: Any])
      let metrics = try #require(printed["metrics"] as? [String: [String: Any]])
      let gap = try #require(metrics["fairness.sex.demographic_parity_difference"]?["value"] as? Double)
      #expect(abs(values[1] - gap) < 1e-12, "trial objective \(values[1]), the mixture's own on validation \(gap)")
    }
    #expect(bounds.count == 3)
  }
}
