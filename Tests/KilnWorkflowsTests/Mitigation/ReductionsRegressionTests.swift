import Foundation
import KilnData
import KilnEvaluation
import Testing
@testable import KilnConfiguration
@testable import KilnTraining

/// `mitigation.reductions` with `bounded_group_loss` on a regression label: the run stores a
/// mixture of regressors, which predicts each row by a seeded draw of one member (fairlearn's
/// `ExponentiatedGradient.predict`), and its validation metrics are those of the drawn values.
@Suite struct ReductionsRegressionTests {
  static let experiment = """
    name: shapes
    dataset: datasets/shapes.h5
    model: {kind: mlp, hidden: [16], activation: relu}
    training: {epochs: 20, batch_size: 64, seed: 5, optimizer: {kind: adam, lr: 5.0e-2}}
    evaluation: {sensitive: [group], bootstrap: {resamples: 20}}
    mitigation: {reductions: {method: exponentiated_gradient, constraint: bounded_group_loss, upper_bound: 3, sensitive: [group], max_iter: 6}}

    """

  @Test func aMixtureOfRegressorsPredictsEachRowByOneSeededMemberAndRecordsItsValidationMetrics() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-regression-reductions-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("datasets"), withIntermediateDirectories: true)
    _ = try SyntheticTask.write(to: root.appendingPathComponent("datasets/shapes.h5"), kind: .regression, rows: 800)
    let layout = ProjectLayout(root: root)
    let configuration = try ExperimentConfiguration.parse(Self.experiment, file: "shapes.yaml")
    var options = TrainingOptions(progress: .quiet)
    options.validationMetrics = ["validation.fairness.group.group_max.mse"]
    let result = try Trainer.train(configuration, layout: layout, options: options)

    let trained = try TrainedModel.load(checkpoint: result.checkpoint)
    let mixture = try #require(trained.mixture)
    let members = mixture.reduction.weights.indices.filter { mixture.reduction.weights[$0] != 0 }
    #expect(members.count >= 2, "the bound binds: weights \(mixture.reduction.weights)")
    let dataset = try KilnDataset.open(Trainer.datasetURL(configuration, layout: layout))
    let rows = try dataset.rows(split: "validation")
    let drawn = try #require(trained.mixtureValues(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 5))
    // Same seed, same predictions, on any subset of rows; each row's value is one member's.
    #expect(drawn == trained.mixtureValues(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 5))
    let half = rows.rowCount / 2, width = trained.inputSize
    #expect(trained.mixtureValues(features: Array(rows.features[(half * width)...]), rowCount: rows.rowCount - half,
                                  rowIDs: Array(rows.rowIndices[half...]), seed: 5) == Array(drawn[half...]))
    let predictions = mixture.memberPredictions(features: rows.features, rowCount: rows.rowCount, inputSize: width, head: trained.head)
    let memberValues = members.map { predictions[$0] }.map { predictions -> [Double] in
      guard case .values(let values)? = predictions else { return [] }
      return values
    }
    var chosen = Set<Int>()
    for row in 0..<rows.rowCount {
      let member = memberValues.firstIndex { $0[row] == drawn[row] }
      #expect(member != nil, "row \(row): \(drawn[row]) is no member's value")
      if let member { chosen.insert(member) }
    }
    #expect(chosen.count == members.count, "every member of nonzero weight is drawn for some row")
    let other = try #require(trained.mixtureValues(features: rows.features, rowCount: rows.rowCount, rowIDs: rows.rowIndices, seed: 6))
    #expect(other != drawn, "another seed draws other members")

    // The run's validation metrics are those of the drawn values, as the evaluation of the stored model computes them.
    let evaluated = try Evaluator(configuration: configuration.evaluation, seed: 5)
      .evaluate(trained, on: dataset, split: "validation", expectedFingerprint: trained.datasetFingerprint)
    for name in ["rmse", "mae", "r2"] {
      let recorded = try #require(result.finalValidationMetrics["validation.\(name)"])
      let measured = try #require(evaluated.namedMetrics["validation.\(name)"]?.value, "\(evaluated.namedMetrics.keys.sorted())")
      #expect(abs(recorded - measured) < 1e-9, "\(name): recorded \(recorded), evaluated \(measured)")
    }
    let groupLoss = try #require(result.finalValidationMetrics["validation.fairness.group.group_max.mse"], "\(result.finalValidationMetrics)")
    #expect(abs(groupLoss - (try #require(evaluated.namedMetrics["fairness.group.group_max.mse"]?.value))) < 1e-9)
  }
}
