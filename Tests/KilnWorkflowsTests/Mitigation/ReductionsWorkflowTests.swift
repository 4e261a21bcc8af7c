import Foundation
import KilnData
import KilnMetrics
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnTraining

/// `mitigation.reductions`: the block's validation, and the reductions with the experiment's own
/// trainer as the cost-sensitive learner.
@Suite struct ReductionsWorkflowTests {
  static let base = """
    name: moons
    dataset: datasets/moons.h5
    model: {kind: mlp, hidden: [8], activation: relu}
    training: {epochs: 3, batch_size: 64, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
    evaluation: {sensitive: [group]}

    """

  @Test func theBlockIsStrictAndEveryProblemNamesItsKey() {
    let text = configurationProblems(Self.base + """
      mitigation:
        reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [group], eps: 0, grid_size: 5,
                     upper_bound: 0.1, max_iter: 0}
      """).map(\.description).joined(separator: "\n")
    #expect(text.contains("mitigation.reductions.eps: eps must be a positive number, found 0.0"), "\(text)")
    #expect(text.contains("mitigation.reductions.grid_size: grid_size is not a setting of exponentiated_gradient"), "\(text)")
    #expect(text.contains("mitigation.reductions.upper_bound: only bounded_group_loss takes an upper_bound"), "\(text)")
    #expect(text.contains("mitigation.reductions.max_iter: max_iter must be in 1…10000, found 0"), "\(text)")
    let split = configurationProblems(Self.base + "mitigation: {reductions: {method: grid_search, constraint: equalized_odds, sensitive: [group], fit_on: test}}\n")
    #expect(split.map(\.description).joined().contains("mitigation.reductions.fit_on: `test` is not one of train"), "never fitted on test")
    let missing = configurationProblems(Self.base + "mitigation: {reductions: {method: grid_search, constraint: bounded_group_loss, sensitive: [group]}}\n")
    #expect(missing.map(\.description).joined().contains("mitigation.reductions.upper_bound: bounded_group_loss needs an upper bound"))
    let unknown = configurationProblems(Self.base + "mitigation: {reductions: {method: exponentiated_gradient, constraint: equal_odds, sensitive: [group]}}\n")
    #expect(unknown.map(\.description).joined().contains("equalized_odds"), "the nearest name is suggested")
  }

  @Test func aTrainedRunStoresTheMixtureAndItsModelsDecideAsTheFittedMixture() throws {
    let project = try TrainingProject(rows: 300)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [group], max_iter: 5}}

      """, file: "moons.yaml")
    let result = try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    let trained = try TrainedModel.load(checkpoint: result.checkpoint)
    let mixture = try #require(trained.mixture)
    // The same seed fits the same mixture again, and the run stored it with one model per fitted
    // hypothesis of nonzero weight.
    #expect(mixture.reduction == (try Trainer.fitReductions(configuration, layout: project.layout)).mixture)
    let stored = mixture.reduction.hypotheses.indices.filter { index in
      guard mixture.reduction.weights[index] != 0, case .fitted = mixture.reduction.hypotheses[index] else { return false }
      return true
    }
    #expect(!stored.isEmpty)
    let directory = result.checkpoint.deletingLastPathComponent()
    for index in stored {
      #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(ModelMixture.memberFileName(index)).path))
    }
    // Scores are the weighted expected score; decisions the seeded mixture, the same on a subset.
    let dataset = try KilnDataset.open(project.layout.root.appendingPathComponent("datasets/moons.h5"))
    let rows = try dataset.rows(split: "validation")
    let scores = trained.positiveProbabilities(features: rows.features, rowCount: rows.rowCount)
    #expect(scores.allSatisfy { $0 >= 0 && $0 <= 1 })
    let decisions = try #require(trained.mixtureDecisions(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 3))
    #expect(decisions == trained.mixtureDecisions(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 3))
    let half = rows.rowCount / 2, width = trained.inputSize
    let subset = trained.mixtureDecisions(features: Array(rows.features[(half * width)...]), rowCount: rows.rowCount - half,
                                          rowIDs: Array(rows.rowIndices[half...]), seed: 3)
    #expect(subset == Array(decisions[half...]))
    // A missing member is an error naming its file, not a mixture that silently lost a model.
    let member = directory.appendingPathComponent(ModelMixture.memberFileName(stored[0]))
    try FileManager.default.removeItem(at: member)
    #expect {
      try TrainedModel.load(checkpoint: result.checkpoint)
    } throws: { error in
      "\(error)".contains("\(member.path): no such checkpoint")
    }
  }

  @Test func aMixtureRunRecordsTheMixturesValidationMetricsAndTrainsNoPlainModel() throws {
    let project = try TrainingProject(rows: 600)
    defer { project.remove() }
    let gap = "validation.fairness.group.demographic_parity_difference"
    var options = TrainingOptions(progress: .quiet)
    options.validationMetrics = [gap]
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [group], eps: 0.05, max_iter: 8}}

      """, file: "moons.yaml")
    let result = try Trainer.train(configuration, layout: project.layout, options: options)

    // The mixture's own decisions on the validation split, computed here from the stored model.
    let trained = try TrainedModel.load(checkpoint: result.checkpoint)
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: project.layout))
    let rows = try dataset.rows(split: "validation")
    let decisions = try #require(trained.mixtureDecisions(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 3))
    let groups = try #require(rows.sensitive["group"])
    func rate(_ group: Int32) -> Double {
      let members = groups.indices.filter { groups[$0] == group }
      return Double(members.filter { decisions[$0] == 1 }.count) / Double(members.count)
    }
    let recorded = try #require(result.finalValidationMetrics[gap])
    #expect(abs(recorded - abs(rate(0) - rate(1))) < 1e-12, "recorded \(recorded), the mixture's \(abs(rate(0) - rate(1)))")
    let accuracy = Double(zip(decisions, rows.labels).filter { $0 == Int($1) }.count) / Double(rows.rowCount)
    #expect(abs(try #require(result.finalValidationMetrics["validation.accuracy"]) - accuracy) < 1e-12)

    // The tracker holds the same final values, and no plain model was trained: no step was logged.
    let tracker = try Tracker(storeDirectory: project.layout.storeDirectory)
    let logged = try tracker.store.latestMetrics(runID: result.runID)
    #expect(logged[gap]?.value == recorded)
    #expect(logged["validation.roc_auc"]?.value == result.finalValidationMetrics["validation.roc_auc"])
    #expect(try tracker.metricHistory(runID: result.runID, key: "train.loss").isEmpty)
    #expect(!FileManager.default.fileExists(atPath: RunDirectory(layout: project.layout, runID: result.runID).lastCheckpoint.path))

    // The plain model of the same experiment and seed has another gap on these rows (its training
    // is deterministic, so metrics recorded from it would equal its own to the last bit).
    var plain = configuration
    plain.mitigation = nil
    let unmitigated = try Trainer.train(plain, layout: project.layout, options: options)
    let plainGap = try #require(unmitigated.finalValidationMetrics[gap])
    #expect(abs(plainGap - recorded) > 1e-9, "plain \(plainGap), mixture \(recorded)")
  }

  @Test func trainingRefusesReductionsWithGroupThresholds() throws {
    let project = try TrainingProject(rows: 300)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation:
        reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [group], max_iter: 5}
        thresholds: {constraint: demographic_parity, sensitive: [group]}

      """, file: "moons.yaml")
    #expect {
      try Trainer.train(configuration, layout: project.layout, options: TrainingOptions(progress: .quiet))
    } throws: { error in
      "\(error)".contains("mitigation.reductions and mitigation.thresholds cannot be combined")
    }
  }

  @Test func exponentiatedGradientWithTheTrainerNarrowsTheSelectionRateGapAndIsReproducible() throws {
    let project = try TrainingProject(rows: 600)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {reductions: {method: exponentiated_gradient, constraint: demographic_parity, sensitive: [group], eps: 0.05, max_iter: 8}}

      """, file: "moons.yaml")
    let fitted = try Trainer.fitReductions(configuration, layout: project.layout)
    let mixture = fitted.mixture
    #expect(abs(mixture.weights.reduce(0, +) - 1) < 1e-9)
    #expect(mixture.hypotheses.count == fitted.trainPredictions.count)
    let fittedCount = mixture.hypotheses.filter { if case .fitted = $0 { return true } else { return false } }.count
    #expect(fittedCount >= 1 && fitted.models.count >= fittedCount)

    // The mixture's selection-rate gap on the train rows, against the unconstrained model's.
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: project.layout))
    let rows = try dataset.rows(split: "train")
    let grouping = try dataset.metadata.grouping(of: ["group"], rows: rows, key: "test")
    var learner = try ReductionLearner(configuration: configuration, dataset: dataset, head: .binary)
    let plain = try learner.fit(labels: rows.labels.map(Double.init), weights: rows.labels.map { _ in 1 })
    let mixed = mixture.positiveProbabilities(decisions: fitted.trainPredictions, rowCount: rows.rowCount)
    func gap(_ predictions: [Double]) -> Double {
      var sums = [0.0, 0.0], counts = [0.0, 0.0]
      for (prediction, code) in zip(predictions, grouping.codes) {
        sums[Int(code)] += prediction
        counts[Int(code)] += 1
      }
      return abs(sums[0] / counts[0] - sums[1] / counts[1])
    }
    #expect(gap(mixed) <= gap(plain) && gap(mixed) < 0.025, "mixture gap \(gap(mixed)), unconstrained \(gap(plain))")

    let again = try Trainer.fitReductions(configuration, layout: project.layout)
    #expect(again.mixture == mixture)
    let decisions = mixture.decisions(decisions: fitted.trainPredictions, rowIDs: rows.rowIndices, seed: 7)
    #expect(decisions == again.mixture.decisions(decisions: again.trainPredictions, rowIDs: rows.rowIndices, seed: 7))
  }

  @Test func gridSearchPicksOneModelAndBoundedGroupLossNeedsARegressionLabel() throws {
    let project = try TrainingProject(rows: 400)
    defer { project.remove() }
    let grid = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {reductions: {method: grid_search, constraint: equalized_odds, sensitive: [group], grid_size: 4}}

      """, file: "moons.yaml")
    let fitted = try Trainer.fitReductions(grid, layout: project.layout)
    #expect(fitted.mixture.weights.count == 4)
    #expect(fitted.mixture.weights.filter { $0 == 1 }.count == 1)
    #expect(fitted.mixture.weights[fitted.mixture.heaviest] == 1)

    let loss = try ExperimentConfiguration.parse(Self.base + """
      mitigation: {reductions: {method: grid_search, constraint: bounded_group_loss, upper_bound: 0.1, sensitive: [group]}}

      """, file: "moons.yaml")
    #expect {
      try Trainer.fitReductions(loss, layout: project.layout)
    } throws: { error in
      "\(error)".contains("bounded_group_loss does not apply to a binary label")
    }
  }
}
