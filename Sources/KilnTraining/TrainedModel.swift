import KilnTensor
import KilnAutograd
import KilnNN
import Foundation
import KilnData
import KilnOptim
import KilnTracking
import KilnConfiguration
import KilnMetrics

/// A trained model loaded from a checkpoint: the network, its head (binary, multiclass or
/// regression), the configuration it was trained with and the fingerprint of the dataset it was
/// trained on.
public struct TrainedModel {
  public let configuration: ExperimentConfiguration
  public var model: MLP
  public let datasetFingerprint: String
  /// What the outputs mean (for regression: the target standardisation).
  public let head: ModelHead
  /// 2 for binary models (one logit), K for multiclass, 0 for regression.
  public var classCount: Int { head.classCount }
  public var labelKind: LabelKind { head.labelKind }
  public let inputSize: Int
  /// The run that trained it.
  public let runID: String
  /// Group-specific decision thresholds (`mitigation.thresholds`): decisions then need each row's
  /// sensitive attributes.
  public let groupThresholds: GroupThresholds?
  /// A reduction's randomized mixture (`mitigation.reductions`, `predictor: mixture`): it then
  /// predicts the members' weighted expected output, decides by `mixtureDecisions` (binary) and
  /// predicts by `mixtureValues` (regression); `model` is its heaviest member (what gradient
  /// attacks differentiate).
  public let mixture: ModelMixture?

  package init(configuration: ExperimentConfiguration, model: MLP, datasetFingerprint: String, head: ModelHead, inputSize: Int,
               runID: String, groupThresholds: GroupThresholds? = nil, mixture: ModelMixture? = nil) {
    self.mixture = mixture
    self.configuration = configuration
    self.model = model
    self.datasetFingerprint = datasetFingerprint
    self.head = head
    self.inputSize = inputSize
    self.runID = runID
    self.groupThresholds = groupThresholds
  }

  /// Loads the model in `checkpoint`, in evaluation mode (dropout off).
  public static func load(checkpoint url: URL) throws -> TrainedModel {
    let checkpoint = try Checkpoint.read(from: url)
    let configuration: ExperimentConfiguration
    do {
      configuration = try JSONDecoder().decode(ExperimentConfiguration.self, from: Data(checkpoint.configurationJSON.utf8))
    } catch {
      throw TrainingError(.checkpoint, "\(url.path): the stored configuration does not decode: \(error)",
                          hint: "the checkpoint was written by an incompatible version of Kiln")
    }
    let shapes = Dictionary(uniqueKeysWithValues: checkpoint.parameters.map { ($0.path, $0.value.shape) })
    let layerCount = checkpoint.parameters.filter { $0.path.hasSuffix(".weight") }.count
    guard let first = shapes["layers.0.weight"], let last = shapes["layers.\(layerCount - 1).weight"], first.count == 2 else {
      throw TrainingError(.checkpoint, "\(url.path): the parameters do not describe an MLP (no layers.0.weight)",
                          hint: "this checkpoint holds a different model")
    }
    let head = checkpoint.head ?? (last[0] == 1 ? .binary : .multiclass(classCount: last[0]))
    guard head.outputSize == last[0] else {
      throw TrainingError(.checkpoint, "\(url.path): a \(head.labelKind.rawValue) head needs \(head.outputSize) outputs, the last layer has \(last[0])",
                          hint: "the checkpoint is damaged or was written by an incompatible version of Kiln")
    }
    // The weights are loaded next, so the seed only shapes values that are overwritten.
    var model = ModelFactory.makeModel(configuration.model, inputSize: first[1], outputSize: head.outputSize, seed: 0)
    do {
      try model.loadParameters(Dictionary(uniqueKeysWithValues: checkpoint.parameters.map { ($0.path, $0.value) }))
    } catch {
      throw TrainingError(.checkpoint, "\(url.path): \(error)", hint: "the checkpoint does not match its own configuration")
    }
    model.setTraining(false)
    var mixture: ModelMixture?
    if let reduction = checkpoint.reductionMixture {
      guard reduction.weights.count == reduction.hypotheses.count else {
        throw TrainingError(.checkpoint, "\(url.path): the stored mixture has \(reduction.weights.count) weights for \(reduction.hypotheses.count) hypotheses",
                            hint: "the checkpoint is damaged or was written by an incompatible version of Kiln")
      }
      var members: [Int: MLP] = [:]
      for (index, hypothesis) in reduction.hypotheses.enumerated() where reduction.weights[index] != 0 {
        guard case .fitted = hypothesis else { continue }
        let member = try load(checkpoint: url.deletingLastPathComponent().appendingPathComponent(ModelMixture.memberFileName(index)))
        guard member.inputSize == first[1], member.head.outputSize == head.outputSize else {
          throw TrainingError(.checkpoint, "\(url.path): mixture member \(index) does not fit the model's \(first[1]) inputs and \(head.outputSize) outputs",
                              hint: "the run's checkpoints are damaged; train the run again")
        }
        members[index] = member.model
      }
      mixture = ModelMixture(reduction: reduction, members: members)
    }
    return TrainedModel(configuration: configuration, model: model, datasetFingerprint: checkpoint.datasetFingerprint,
                        head: head, inputSize: first[1], runID: checkpoint.runID, groupThresholds: checkpoint.groupThresholds,
                        mixture: mixture)
  }

  /// Loads the final checkpoint of run `runID` (an id or a unique prefix).
  public static func load(runID: String, layout: ProjectLayout) throws -> TrainedModel {
    let tracker = try Tracker(layout: layout)
    let record = try tracker.run(id: runID)
    let url = RunDirectory(layout: layout, runID: record.id).finalCheckpoint
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw TrainingError(.checkpoint, "run \(record.id) has no final checkpoint at \(url.path)",
                          hint: "the run may have failed or still be running; see `kiln runs show \(record.id)`")
    }
    return try load(checkpoint: url)
  }

  /// Logits for a batch of input rows, as a differentiable value (input gradients for attacks).
  public func logits(_ input: Variable) -> Variable { model(input) }

  /// The head's predictions for a batch of encoded rows (row-major `rowCount × inputSize`).
  public func predictions(features: [Float], rowCount: Int) -> HeadPredictions {
    precondition(features.count == rowCount * inputSize,
                 "predictions: \(features.count) values are not \(rowCount) rows of \(inputSize) features")
    if let mixture { return mixture.expectedPredictions(features: features, rowCount: rowCount, inputSize: inputSize, head: head) }
    let outputs = rowCount > 0 ? model(Tensor(shape: [rowCount, inputSize], scalars: features)).scalars : []
    return head.predictions(fromOutputs: outputs, rowCount: rowCount)
  }

  /// A binary mixture's seeded randomised decisions (nil without a mixture): the same seed and
  /// row ids give the same decisions.
  public func mixtureDecisions(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Int]? {
    guard let mixture, head == .binary else { return nil }
    return mixture.decisions(features: features, rowCount: rowCount, inputSize: inputSize, head: head, rowIDs: rowIDs, seed: seed)
  }

  /// A regression mixture's seeded predictions in raw units (nil without a mixture): each row
  /// takes one member's value, drawn by the members' weights (fairlearn's `predict`); the same
  /// seed and row ids give the same values.
  public func mixtureValues(features: [Float], rowCount: Int, rowIDs: [Int], seed: UInt64) -> [Double]? {
    guard let mixture, labelKind == .regression else { return nil }
    return mixture.drawnValues(features: features, rowCount: rowCount, inputSize: inputSize, head: head, rowIDs: rowIDs, seed: seed)
  }

  /// P(class 1) per row of a binary model: the sigmoid of its logit.
  public func positiveProbabilities(features: [Float], rowCount: Int) -> [Double] {
    guard case .scores(let scores) = predictions(features: features, rowCount: rowCount) else {
      preconditionFailure("positiveProbabilities: the model is \(labelKind.rawValue), not binary")
    }
    return scores
  }

  /// Class probabilities per row (softmax of the logits; for binary models [1 − p, p]).
  public func classProbabilities(features: [Float], rowCount: Int) -> [[Double]] {
    switch predictions(features: features, rowCount: rowCount) {
    case .scores(let scores): return scores.map { [1 - $0, $0] }
    case .probabilities(let probabilities): return probabilities
    case .values: preconditionFailure("classProbabilities: the model is a regression model; use regressionPredictions")
    }
  }

  /// Predictions of a regression model in the target's raw units: μ + σ·output.
  public func regressionPredictions(features: [Float], rowCount: Int) -> [Double] {
    guard case .values(let values) = predictions(features: features, rowCount: rowCount) else {
      preconditionFailure("regressionPredictions: the model is \(labelKind.rawValue), not regression")
    }
    return values
  }
}

/// Where a run keeps its checkpoints: `.kiln/runs/RUN/checkpoints/`.
public struct RunDirectory: Sendable {
  public let url: URL

  public init(layout: ProjectLayout, runID: String) {
    url = layout.storeDirectory.appendingPathComponent("runs/\(runID)", isDirectory: true)
  }

  /// The latest checkpoint (every N steps and each epoch end), from which `--resume` continues.
  public var lastCheckpoint: URL { url.appendingPathComponent("checkpoints/last.h5") }
  /// The best checkpoint by the selection metric.
  public var bestCheckpoint: URL { url.appendingPathComponent("checkpoints/best.h5") }
  /// The weights at the end of training.
  public var finalCheckpoint: URL { url.appendingPathComponent("checkpoints/final.h5") }
}
