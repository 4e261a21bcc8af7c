import Foundation
import KilnMetrics
import KilnMetricDirection
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnTraining
@testable import KilnEvaluation

/// The `mitigation:` block from the experiment file through training to evaluation.
@Suite struct MitigationWorkflowTests {
  static let base = """
    name: moons
    dataset: datasets/moons.h5
    model: {kind: mlp, hidden: [8], activation: relu}
    training: {epochs: 4, batch_size: 32, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
    evaluation: {sensitive: [group], bootstrap: {resamples: 50}}

    """

  @Test func theBlockIsStrictAndEveryProblemNamesItsKey() {
    let problems = configurationProblems(Self.base + """
      mitigation:
        thresholds: {constraint: equalised_odds, sensitive: [], fit_on: test, grid_size: 0, objectve: accuracy}
      """)
    let text = problems.map(\.description).joined(separator: "\n")
    #expect(text.contains("mitigation.thresholds.constraint"), "\(text)")
    #expect(text.contains("equalized_odds"), "the nearest name is suggested: \(text)")
    #expect(text.contains("mitigation.thresholds.fit_on"), "test is not a split thresholds are fitted on: \(text)")
    #expect(text.contains("objectve"), "\(text)")
  }

  @Test func rangeProblemsAreNamed() {
    let problems = configurationProblems(Self.base + """
      mitigation:
        reweighing: {sensitive: [group, group]}
        thresholds: {constraint: equalized_odds, sensitive: [], grid_size: 0}
      """)
    let text = problems.map(\.description).joined(separator: "\n")
    #expect(text.contains("mitigation.reweighing.sensitive: an attribute is listed twice"), "\(text)")
    #expect(text.contains("mitigation.thresholds.sensitive: name at least one sensitive attribute"), "\(text)")
    #expect(text.contains("mitigation.thresholds.grid_size: the grid size must be in 1…100000, found 0"), "\(text)")
    #expect(configurationProblems(Self.base + "mitigation: {}\n").map(\.description).joined().contains("names no mitigation"))
  }

  @Test func anUnknownAttributeIsAnErrorBeforeTraining() throws {
    let project = try TrainingProject(rows: 300)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + "mitigation: {reweighing: {sensitive: [sex]}}\n", file: "moons.yaml")
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      "\(error)".contains("mitigation.reweighing.sensitive: `sex` is not a sensitive attribute") && "\(error)".contains("group")
    }
  }

  @Test func reweighingChangesTheWeightsAndIsRecorded() throws {
    let project = try TrainingProject(rows: 600)
    defer { project.remove() }
    let plain = try Trainer.train(try ExperimentConfiguration.parse(Self.base, file: "moons.yaml"), layout: project.layout,
                                  options: TrainingOptions(progress: .quiet))
    let weighted = try Trainer.train(try ExperimentConfiguration.parse(Self.base + "mitigation: {reweighing: {sensitive: [group]}}\n",
                                                                       file: "moons.yaml"),
                                     layout: project.layout, options: TrainingOptions(progress: .quiet))
    #expect(plain.model.flattenedParameters().scalars != weighted.model.flattenedParameters().scalars)
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let run = try tracker.run(id: weighted.runID)
    #expect(try tracker.store.tags(runID: run.id)["mitigation"] == "reweighing(group)")
    #expect(try tracker.store.artifacts(runID: run.id).contains { $0.name == "mitigation/reweighing.json" })
  }

  @Test func thresholdsAreStoredWithTheModelAndApplyInEvaluation() throws {
    let project = try TrainingProject(rows: 1_200)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {thresholds: {constraint: demographic_parity, sensitive: [group], fit_on: validation}}
      """, file: "moons.yaml")
    let training = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    let model = try TrainedModel.load(checkpoint: training.checkpoint)
    let thresholds = try #require(model.groupThresholds)
    #expect(thresholds.constraint == .demographicParity && Set(thresholds.rules.keys) == ["a", "b"])

    let first = try EvaluationWorkflow.evaluate(runID: training.runID, layout: project.layout)
    let again = try EvaluationWorkflow.evaluate(runID: training.runID, layout: project.layout)
    #expect(first == again, "the randomised decisions are seeded")
    let mitigation = try #require(first.mitigation)
    let after = try #require(first.namedMetrics["fairness.group.demographic_parity_difference"]?.value)
    let before = try #require(mitigation.unmitigatedMetrics["fairness.group.demographic_parity_difference"]?.value)
    #expect(after < before, "demographic parity difference \(before) → \(after)")
    #expect(mitigation.unmitigatedMetrics["test.accuracy"] != nil)
    #expect(first.text().contains("== mitigation: group thresholds for group under demographic_parity, fitted on validation (before → after)"),
            "\(first.text())")
    // Reading the evaluation back keeps the thresholds (±∞ included).
    #expect(try EvaluationResult.decode(try first.storedData()) == first)
  }
}

/// The worked example: two experiment files that differ only in their mitigation.
@Suite struct MitigationExampleTests {
  @Test func theAdultPairDiffersOnlyInTheMitigationAndGatesOnEqualizedOdds() throws {
    var mitigated = try ShippedExperimentsTests.load("adult-sex-mitigated")
    let unmitigated = try ShippedExperimentsTests.load("adult-sex-unmitigated")
    let thresholds = try #require(mitigated.mitigation?.thresholds)
    #expect(thresholds.constraint == .equalizedOdds && thresholds.sensitive == ["sex"] && thresholds.fitOn == .validation)
    #expect(unmitigated.mitigation == nil)
    #expect(mitigated.gates?.contains { $0.metric == "fairness.sex.equalized_odds_difference" && $0.bound == .ciUpper } == true)
    mitigated.mitigation = nil
    mitigated.name = unmitigated.name
    mitigated.description = unmitigated.description
    #expect(mitigated == unmitigated)
  }

  @Test func theFairnessSweepTradesROCAUCAgainstEqualizedOddsWithThresholdsFittedOnTrain() throws {
    let configuration = try ShippedExperimentsTests.load("adult-fairness-sweep")
    let sweep = try #require(configuration.sweep)
    #expect(sweep.sampler == .nsga2)
    #expect(sweep.allObjectives.map(\.metric) == ["validation.roc_auc", "validation.fairness.sex.equalized_odds_difference"])
    for objective in sweep.allObjectives { #expect(objective.direction == MetricDirection(forMetric: objective.metric)) }
    #expect(sweep.space["mitigation.thresholds.constraint"] != nil)
    // Fitted on train, the thresholds are judged on validation rows they did not see.
    #expect(configuration.mitigation?.thresholds?.fitOn == .train)
    #expect(configuration.gates?.contains { $0.metric == "fairness.sex.equalized_odds_difference" } == true)
  }
}
