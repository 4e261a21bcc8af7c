import Foundation
import KilnAutograd
import KilnConfiguration
import KilnData
import KilnMetrics
import KilnNN
import KilnOptim
import KilnTensor

/// The experiment's own model and trainer as a reduction's cost-sensitive learner (fairlearn
/// passes costs to its estimator the same way): each fit trains a fresh model of the
/// experiment's architecture on the train split with the reduction's labels and row weights, for
/// `training.epochs` epochs with the experiment's optimizer and schedule. It minimises the
/// globally weighted objective (1/n)·Σᵢ wᵢlᵢ over the n train rows, with the weights normalised
/// once to mean 1 — the objective scikit-learn's estimators minimise for fairlearn, up to scale —
/// so each batch's loss is Σ_{i∈B} wᵢlᵢ / |B|, an unbiased estimate of it; a batch whose weights
/// are all 0 contributes nothing (a per-batch mean Σwᵢlᵢ / Σwᵢ would both reweight the batches
/// against each other and be undefined there). Every fit starts from the same seed — initialisation
/// and shuffles come from the registered streams of `training.seed` — so the same seed gives
/// the same models.
struct ReductionLearner: CostSensitiveLearner {
  let configuration: ExperimentConfiguration
  let head: ModelHead
  let loader: DataLoader
  /// The train rows (features in dataset-row order), and each dataset row's position among them.
  let rows: Batch
  let position: [Int: Int]
  /// The fitted models, in call order (a hypothesis's `call` indexes them).
  private(set) var models: [MLP] = []

  init(configuration: ExperimentConfiguration, dataset: KilnDataset, head: ModelHead) throws {
    self.configuration = configuration
    self.head = head
    rows = try dataset.rows(split: "train")
    position = Dictionary(uniqueKeysWithValues: rows.rowIndices.enumerated().map { ($1, $0) })
    loader = try DataLoader(dataset: dataset, split: "train", configuration: DataLoaderConfiguration(
      batchSize: configuration.training.batchSize, dropLast: false, shuffle: .full, seed: configuration.training.seed))
  }

  mutating func fit(labels: [Double], weights: [Double]) throws -> [Double] {
    let training = configuration.training
    var model = ModelFactory.makeModel(configuration.model, inputSize: rows.featureCount, outputSize: head.outputSize, seed: training.seed)
    var optimizer = try OptimizerRegistry.makeOptimizer(training.optimizer, parameters: model.parameterKinds)
    let schedule = try TrainingSession.makeSchedule(training)
    let head = self.head
    let normalized = Self.normalized(weights)
    for epoch in 0..<training.epochs {
      if let schedule { optimizer.learningRate = schedule.learningRate(atStep: epoch) }
      for var batch in loader.epoch(epoch) {
        let positions = batch.rowIndices.map { position[$0] ?? 0 }
        if head.labelKind.isClassification { batch.labels = positions.map { Int32(labels[$0]) } }
        let share = 1 / Double(batch.rowCount)
        let rowWeights = Tensor(shape: [batch.rowCount], scalars: positions.map { Float(normalized[$0] * share) })
        let inputs = Tensor(shape: [batch.rowCount, batch.featureCount], scalars: batch.features)
        model.dropout?.masks.position = (epoch, batch.rowIndices)
        let (_, gradients) = valueWithGradient(at: model) { model in
          head.loss(outputs: model(Variable(inputs)), batch: batch, weights: rowWeights, reduction: .sum)
        }
        optimizer.update(&model, along: gradients)
      }
      if let error = loader.lastError { throw error }
    }
    model.setTraining(false)
    models.append(model)
    return Self.predictions(of: model, head: head, rows: rows)
  }

  /// The weights scaled to mean 1 over all rows (all zero stays zero: nothing to learn from).
  static func normalized(_ weights: [Double]) -> [Double] {
    let total = weights.reduce(0, +)
    guard total > 0 else { return weights.map { _ in 0 } }
    let scale = Double(weights.count) / total
    return weights.map { $0 * scale }
  }

  /// A model's predictions on `rows`: decisions at 0.5 (binary), values in raw units (regression).
  static func predictions(of model: MLP, head: ModelHead, rows: Batch) -> [Double] {
    guard rows.rowCount > 0 else { return [] }
    let outputs = model(Tensor(shape: [rows.rowCount, rows.featureCount], scalars: rows.features)).scalars
    switch head.predictions(fromOutputs: outputs, rowCount: rows.rowCount) {
    case .scores(let scores): return scores.map { $0 >= 0.5 ? 1 : 0 }
    case .values(let values): return values
    case .probabilities(let probabilities): return probabilities.map { $0.count > 1 && $0[1] >= 0.5 ? 1 : 0 }
    }
  }
}
