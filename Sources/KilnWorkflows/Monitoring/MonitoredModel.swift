import Foundation
import KilnData
import KilnTracking

/// A trained model as monitoring sees it: its name, dataset, decision threshold and a scorer.
public struct MonitoredModel {
  /// The experiment name (reports go under `reports/NAME/`).
  public let name: String
  public let runID: String
  public let configuration: ExperimentConfiguration
  /// The dataset the model was trained on (its train split is the drift reference).
  public let dataset: URL
  /// The model's decision threshold: the one `kiln evaluate` chose and logged (`test.threshold`),
  /// else the experiment's, else 0.5.
  public let threshold: Double
  /// P(class 1) of row-major encoded features.
  public let scorer: (_ features: [Float], _ rowCount: Int) -> [Double]

  /// Loads the final checkpoint of a trained run.
  /// - Throws: `TrackingError`/`TrainingError` for an unknown run or a missing checkpoint;
  ///   `MonitoringError` when the dataset changed since training or the model is not binary.
  public static func load(runID: String, layout: ProjectLayout) throws -> MonitoredModel {
    let trained = try TrainedModel.load(runID: runID, layout: layout)
    guard trained.classCount == 2 else {
      throw MonitoringError("run \(trained.runID) is a \(trained.classCount)-class model; scoring and drift support binary models")
    }
    let dataset = Trainer.datasetURL(trained.configuration, layout: layout)
    let file = try KilnDataset.open(dataset)
    let fingerprint = file.metadata.fingerprint
    try file.close()
    guard fingerprint == trained.datasetFingerprint else {
      throw MonitoringError("\(dataset.path) has fingerprint \(fingerprint.prefix(12))… but run \(trained.runID) was trained on \(trained.datasetFingerprint.prefix(12))…",
                            hint: "the dataset was re-imported with other content since training; restore that version or retrain")
    }
    let evaluated = try Tracker(layout: layout).store.latestMetrics(runID: trained.runID)["test.threshold"]?.value
    let threshold = evaluated ?? trained.configuration.evaluation?.threshold ?? 0.5
    return MonitoredModel(name: trained.configuration.name, runID: trained.runID, configuration: trained.configuration,
                          dataset: dataset, threshold: threshold,
                          scorer: { trained.positiveProbabilities(features: $0, rowCount: $1) })
  }

  /// The stored encoding of the model's dataset.
  public func encoding() throws -> DatasetEncoding {
    let file = try KilnDataset.open(dataset)
    defer { try? file.close() }
    guard let encoding = file.metadata.encoding else {
      throw MonitoringError("\(dataset.path) stores no encoding, so raw rows cannot be encoded", hint: "re-import the dataset with `kiln dataset import`")
    }
    return encoding
  }

  /// Scores a file and records the scoring as a run of experiment `NAME-scoring` (model run,
  /// input fingerprint and counts), so monitoring can find it.
  public func score(input: URL, output: URL, rejects: URL?, batchSize: Int, layout: ProjectLayout,
                    commandLine: [String]) throws -> (summary: BatchScoringSummary, runID: String) {
    let request = BatchScoringRequest(encoding: try encoding(), input: input, output: output, rejects: rejects,
                                      batchSize: batchSize, threshold: threshold, scorer: scorer)
    let tracker = try Tracker(layout: layout)
    let run = try tracker.startRun(experiment: "\(name)-scoring", commandLine: commandLine,
                                   tags: ["kind": "scoring", "model": name, "model_run": runID])
    do {
      let summary = try request.run()
      try run.logParameters(["model_run": runID, "input": summary.input, "input_fingerprint": summary.inputFingerprint,
                             "output": summary.output, "threshold": String(threshold), "batch_size": String(batchSize)])
      var metrics: [String: Double] = ["rows.read": Double(summary.rowsRead), "rows.scored": Double(summary.rowsScored),
                                       "rows.rejected": Double(summary.rowsRejected), "rows.positive": Double(summary.positives)]
      for (column, count) in summary.unknownCategories { metrics["unknown_categories.\(column)"] = Double(count) }
      try run.log(metrics: metrics, step: 0)
      try run.finish()
      return (summary, run.id)
    } catch {
      try? run.finish(.failed)
      throw error
    }
  }
}
