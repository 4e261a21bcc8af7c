import Foundation
import KilnOptim
import KilnTracking

/// A trained classifier loaded from a checkpoint: the network, the configuration it was trained
/// with and the fingerprint of the dataset it was trained on.
public struct TrainedModel {
  public let configuration: ExperimentConfiguration
  public var model: MLP
  public let datasetFingerprint: String
  /// 2 for binary models (one logit), otherwise the number of classes.
  public let classCount: Int
  public let inputSize: Int
  /// The run that trained it.
  public let runID: String

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
    let classCount = last[0] == 1 ? 2 : last[0]
    var generator = SeededGenerator(seed: 0)
    var model = ModelFactory.makeModel(configuration.model, inputSize: first[1], classCount: classCount, generator: &generator)
    do {
      try model.loadParameters(Dictionary(uniqueKeysWithValues: checkpoint.parameters.map { ($0.path, $0.value) }))
    } catch {
      throw TrainingError(.checkpoint, "\(url.path): \(error)", hint: "the checkpoint does not match its own configuration")
    }
    model.setTraining(false)
    return TrainedModel(configuration: configuration, model: model, datasetFingerprint: checkpoint.datasetFingerprint,
                        classCount: classCount, inputSize: first[1], runID: checkpoint.runID)
  }

  /// Loads the final checkpoint of run `runID` (an id or a unique prefix).
  public static func load(runID: String, layout: ProjectLayout) throws -> TrainedModel {
    let tracker = try Tracker(storeDirectory: layout.storeDirectory)
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

  /// P(class 1) per row of a binary model: the sigmoid of its logit.
  public func positiveProbabilities(features: [Float], rowCount: Int) -> [Double] {
    precondition(classCount == 2, "positiveProbabilities: the model has \(classCount) classes, not 2")
    precondition(features.count == rowCount * inputSize,
                 "positiveProbabilities: \(features.count) values are not \(rowCount) rows of \(inputSize) features")
    guard rowCount > 0 else { return [] }
    let logits = model(Tensor(shape: [rowCount, inputSize], scalars: features)).scalars
    return logits.map { 1 / (1 + Foundation.exp(-Double($0))) }
  }

  /// Class probabilities per row (softmax of the logits; for binary models [1 − p, p]).
  public func classProbabilities(features: [Float], rowCount: Int) -> [[Double]] {
    if classCount == 2 { return positiveProbabilities(features: features, rowCount: rowCount).map { [1 - $0, $0] } }
    guard rowCount > 0 else { return [] }
    let logits = model(Tensor(shape: [rowCount, inputSize], scalars: features)).softmax(alongAxis: -1).scalars
    return (0..<rowCount).map { row in (0..<classCount).map { Double(logits[row * classCount + $0]) } }
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
