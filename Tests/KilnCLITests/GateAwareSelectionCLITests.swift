import Foundation
import Testing

/// `kiln pipeline` after a multi-objective sweep (validation ROC AUC against the validation
/// equalized-odds difference by group): it trains the Pareto point that passes every gate on
/// validation and is best on the first objective, saying which points failed which gate; when no
/// point passes, it names the nearest point for each gate and exits as a rejection (3).
@Suite struct GateAwareSelectionCLITests {
  static let fairnessObjective = "validation.fairness.group.equalized_odds_difference"

  /// The toy project with an NSGA-II sweep over the learning rate and the hidden width.
  static func sweptProject(fairnessObjective: String = GateAwareSelectionCLITests.fairnessObjective) throws -> PipelineProject {
    let project = try PipelineProject()
    let experiment = project.root.appendingPathComponent("experiments/toy.yaml")
    let sweepBlock = """

      sweep:
        objectives:
          - {metric: validation.roc_auc, direction: maximize}
          - {metric: \(fairnessObjective), direction: minimize}
        sampler: nsga2
        population_size: 4
        trials: 8
        space:
          training.optimizer.lr: {loguniform: [1.0e-4, 1.0e-1]}
          training.epochs: {int: [1, 3]}

      """
    try (try String(contentsOf: experiment, encoding: .utf8) + sweepBlock).write(to: experiment, atomically: true, encoding: .utf8)
    return project
  }

  /// Replaces the experiment's gates (the sweep's trials stay as they are).
  static func setGates(_ gates: [String], in project: PipelineProject) throws {
    let experiment = project.root.appendingPathComponent("experiments/toy.yaml")
    var lines = try String(contentsOf: experiment, encoding: .utf8).components(separatedBy: "\n")
    let start = try #require(lines.firstIndex(of: "gates:"))
    var end = start + 1
    while end < lines.count, lines[end].hasPrefix("  - ") { end += 1 }
    lines.replaceSubrange(start..<end, with: ["gates:"] + gates.map { "  - \($0)" })
    try lines.joined(separator: "\n").write(to: experiment, atomically: true, encoding: .utf8)
  }

  /// Runs the sweep; its Pareto front from `kiln sweep --json`: (trial, [roc auc, eod]), best AUC first.
  @discardableResult
  static func sweep(_ project: PipelineProject) throws -> [(number: Int, values: [Double])] {
    let imported = try runKiln(["dataset", "import", "datasets/toy/dataset.yaml"], in: project.root)
    #expect(imported.status == 0, "\(imported.stderr)")
    let sweep = try runKiln(["sweep", "experiments/toy.yaml", "--json"], in: project.root)
    #expect(sweep.status == 0, "\(sweep.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(sweep.stdout.utf8)) as? [String: Any])
    let points = try #require(json["pareto_front"] as? [[String: Any]])
    return try points.map { point in
      (try #require(point["number"] as? Int), try #require(point["values"] as? [Double]))
    }.sorted { $0.values[0] == $1.values[0] ? $0.number < $1.number : $0.values[0] > $1.values[0] }
  }

  @Test func thePipelineTrainsTheBestParetoPointThatPassesTheGatesOnValidation() throws {
    let project = try Self.sweptProject()
    let front = try Self.sweep(project)
    try #require(front.count >= 2, "the toy sweep's front has \(front.count) point(s)")
    // A fairness bound the best-AUC point misses and a later point meets.
    let disparities = front.map { $0.values[1] }
    let bound = (disparities[0] + disparities.dropFirst().min()!) / 2
    try #require(disparities[0] > bound)
    let expected = try #require(front.first { $0.values[1] <= bound })
    try Self.setGates(["{metric: test.accuracy, min: 0.5}",
                       "{metric: fairness.group.equalized_odds_difference, max: \(bound)}"], in: project)

    let result = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet", "--json"], in: project.root)
    // The final gates judge the test split, which may disagree with validation; the choice is the point.
    #expect(result.status == 0 || result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("sweep: gate-aware selection among the \(front.count) points"))
    #expect(result.stderr.contains("sweep: trial \(front[0].number) (validation.roc_auc = "))
    #expect(result.stderr.contains("fails `validation.fairness.group.equalized_odds_difference ≤"))
    #expect(result.stderr.contains("sweep: trial \(expected.number) passes every gate on validation"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let runID = try #require(json["run_id"] as? String)
    let sweep = try #require(json["sweep"] as? [String: Any])
    #expect(sweep["trial"] as? Int == expected.number)
    #expect(sweep["selection"] as? String == "gate-aware")
    let rejected = try #require(sweep["rejected"] as? [[String: Any]])
    #expect(rejected.first?["trial"] as? Int == front[0].number)
    #expect((rejected.first?["failed_gates"] as? [String])?.first?.hasPrefix("validation.fairness.group.equalized_odds_difference ≤") == true)
    let shown = try runKiln(["runs", "show", runID, "--json"], in: project.root)
    #expect(shown.stdout.contains("\"sweep.trial\" : \"\(expected.number)\"") || shown.stdout.contains("\"sweep.trial\":\"\(expected.number)\""),
            "\(shown.stdout)")
    #expect(shown.stdout.contains("gate-aware"))
  }

  @Test func whenNoParetoPointPassesThePipelineNamesTheNearestAndRejects() throws {
    let project = try Self.sweptProject()
    try Self.sweep(project)
    try Self.setGates(["{metric: test.accuracy, min: 0.9999}", "{metric: fairness.group.equalized_odds_difference, max: 1.0}"],
                      in: project)
    let result = try runKiln(["pipeline", "experiments/toy.yaml", "--quiet"], in: project.root)
    #expect(result.status == 3, "\(result.stderr)")
    #expect(result.stderr.contains("passes every gate on validation;"))
    #expect(result.stderr.contains("`validation.accuracy ≥ 0.9999`: nearest is trial "))
    #expect(!result.stderr.contains("train: run"))
    // Nothing was trained outside the sweep, so nothing was registered.
    let models = try runKiln(["models", "list", "--json"], in: project.root)
    #expect(!models.stdout.contains("toy-model"))
  }

  @Test func aFairnessObjectiveOnAnAttributeTheDatasetLacksFailsBeforeAnyTrial() throws {
    let project = try Self.sweptProject(fairnessObjective: "validation.fairness.sex.equalized_odds_difference")
    #expect(try runKiln(["dataset", "import", "datasets/toy/dataset.yaml"], in: project.root).status == 0)
    let refused = try runKiln(["sweep", "experiments/toy.yaml"], in: project.root)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("names the sensitive attribute `sex`, which the evaluation does not audit"), "\(refused.stderr)")
    #expect(refused.stderr.contains("name one of the audited attributes (group), e.g. validation.fairness.group.equalized_odds_difference"),
            "\(refused.stderr)")
    #expect(!refused.stderr.contains("trial 0"))
  }

  @Test func aMisspeltFairnessMeasureFailsBeforeAnyTrialWithTheNearestName() throws {
    let project = try Self.sweptProject(fairnessObjective: "validation.fairness.group.equalized_odds_diference")
    #expect(try runKiln(["dataset", "import", "datasets/toy/dataset.yaml"], in: project.root).status == 0)
    let refused = try runKiln(["sweep", "experiments/toy.yaml"], in: project.root)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("`validation.fairness.group.equalized_odds_diference` is not a fairness measure the evaluation computes"),
            "\(refused.stderr)")
    #expect(refused.stderr.contains("did you mean `validation.fairness.group.equalized_odds_difference`?"), "\(refused.stderr)")
    #expect(!refused.stderr.contains("trial 0"))
    // No sweep and no run was stored.
    let listed = try runKiln(["runs", "list", "--json"], in: project.root)
    #expect(!listed.stdout.contains("\"id\""), "\(listed.stdout)")
  }
}

