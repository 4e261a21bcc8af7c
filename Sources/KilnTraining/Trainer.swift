import KilnNN
import Foundation
import KilnData
import KilnDistributed
import KilnOptim
import KilnTracking
import KilnConfiguration

/// How a training run is started.
public struct TrainingOptions {
  /// Continue this killed or failed run from its last checkpoint instead of starting a new one.
  public var resumeRunID: String?
  public var progress: ProgressReporter.Mode
  /// Write progress to standard error (the pipeline, whose standard output is its result).
  public var progressToStandardError = false
  /// The sweep run a trial belongs to.
  public var parentRunID: String?
  public var runName: String?
  public var tags: [String: String]
  public var commandLine: [String]
  /// Called after the built-in callbacks, on rank 0 (e.g. a sweep's pruning callback).
  public var extraCallbacks: [TrainingCallback]
  /// Validation metrics to compute besides the label kind's and the gates' (a sweep's
  /// objectives): `validation.fairness.*` names are measured each epoch (`ValidationFairness`).
  public var validationMetrics: [String] = []
  /// Called on every rank, after the built-in callbacks (fault injection: a rank that dies).
  public var callbacksOnEveryRank: [TrainingCallback] = []

  public init(resumeRunID: String? = nil, progress: ProgressReporter.Mode = .plain, parentRunID: String? = nil,
              runName: String? = nil, tags: [String: String] = [:], commandLine: [String] = [],
              extraCallbacks: [TrainingCallback] = []) {
    self.resumeRunID = resumeRunID
    self.progress = progress
    self.parentRunID = parentRunID
    self.runName = runName
    self.tags = tags
    self.commandLine = commandLine
    self.extraCallbacks = extraCallbacks
  }
}

/// What a finished training run produced.
public struct TrainingResult {
  public let runID: String
  public let outcome: TrainingOutcome
  /// The validation metrics after the last epoch (`ValidationMetrics` names them per label kind).
  public let finalValidationMetrics: [String: Double]
  /// The validation metrics of the epoch with the best selection metric.
  public let bestValidationMetrics: [String: Double]
  public let checkpoint: URL
  public let bestCheckpoint: URL
  public let model: MLP
}

/// Trains an experiment: one process, or one rank of a data-parallel job under `mpirun`.
///
/// Data parallelism: every rank builds the model from the same seed, rank 0's parameters are
/// broadcast, each rank reads its strided shard of every epoch's permutation in batches of
/// `batch_size / world_size`, and the gradients (with the loss) are averaged by one fused
/// allreduce per step, so a step sees the same global batch as a single process would. Only
/// rank 0 writes to the tracker, checkpoints and the terminal.
public enum Trainer {
  public static func train(_ configuration: ExperimentConfiguration, layout: ProjectLayout,
                           communicator: Communicator = LocalCommunicator(),
                           options: TrainingOptions = TrainingOptions()) throws -> TrainingResult {
    let session = try TrainingSession(configuration: configuration, layout: layout, communicator: communicator, options: options)
    return try session.execute()
  }

  /// Resumes run `runID` with the configuration stored on it.
  public static func resume(runID: String, layout: ProjectLayout, communicator: Communicator = LocalCommunicator(),
                            options: TrainingOptions = TrainingOptions()) throws -> TrainingResult {
    var configurationText = ""
    if communicator.isRoot {
      let tracker = try Tracker(layout: layout)
      _ = try tracker.markKilledRuns(staleAfter: 120)
      configurationText = try tracker.run(id: runID).configurationText
    }
    configurationText = String(decoding: try communicator.broadcast(bytes: Array(configurationText.utf8), root: 0), as: UTF8.self)
    let configuration: ExperimentConfiguration
    do {
      configuration = try JSONDecoder().decode(ExperimentConfiguration.self, from: Data(configurationText.utf8))
    } catch {
      throw TrainingError(.resume, "run \(runID) has no usable stored configuration: \(error)", hint: "start a new run with kiln train")
    }
    var options = options
    options.resumeRunID = runID
    return try train(configuration, layout: layout, communicator: communicator, options: options)
  }

  /// The dataset file of `configuration`, resolved against the project root.
  public static func datasetURL(_ configuration: ExperimentConfiguration, layout: ProjectLayout) -> URL {
    configuration.dataset.hasPrefix("/") ? URL(fileURLWithPath: configuration.dataset)
      : layout.root.appendingPathComponent(configuration.dataset)
  }
}
