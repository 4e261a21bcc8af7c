import Foundation
import KilnData
import Testing
@testable import KilnConfiguration
@testable import KilnTraining

/// The reduction's learner minimises the globally weighted objective (1/n)·Σᵢ wᵢlᵢ, not a
/// weighted mean per batch.
@Suite struct ReductionLearnerTests {
  @Test func weightsAreNormalisedOnceToMeanOne() {
    #expect(ReductionLearner.normalized([1, 3]) == [0.5, 1.5])
    #expect(ReductionLearner.normalized([0, 0, 0]) == [0, 0, 0])
  }

  /// With batches of one row a per-batch mean Σwᵢlᵢ / Σwᵢ is lᵢ whatever the weight (and undefined
  /// at weight 0), so only the global objective lets the weights act: down-weighting the
  /// positive rows must leave fewer rows predicted positive than equal weights do.
  @Test func weightsActAcrossBatchesEvenBatchesOfOneRowOrOfZeroWeight() throws {
    let project = try TrainingProject(rows: 300)
    defer { project.remove() }
    let configuration = try ExperimentConfiguration.parse("""
      name: moons
      dataset: datasets/moons.h5
      model: {kind: logistic_regression}
      training: {epochs: 2, batch_size: 1, seed: 3, optimizer: {kind: adam, lr: 1.0e-2}}
      """, file: "moons.yaml")
    let dataset = try KilnDataset.open(project.layout.root.appendingPathComponent("datasets/moons.h5"))
    var learner = try ReductionLearner(configuration: configuration, dataset: dataset, head: .binary)
    let labels = learner.rows.labels.map(Double.init)
    let equal = try learner.fit(labels: labels, weights: labels.map { _ in 1 })
    let equalPositives = equal.filter { $0 == 1 }.count
    #expect(equalPositives > 0)
    for positiveWeight in [0.0, 1e-3] {
      let weighted = try learner.fit(labels: labels, weights: labels.map { $0 == 1 ? positiveWeight : 1 })
      let positives = weighted.filter { $0 == 1 }.count
      #expect(positives < equalPositives, "positive rows weighted \(positiveWeight): \(positives) predicted positive, \(equalPositives) with equal weights")
    }
  }
}
