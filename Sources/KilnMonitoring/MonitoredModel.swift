import Foundation
import KilnData
import KilnMetrics
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

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
  /// What the model's outputs mean: binary scores, class probabilities or regression values.
  public let head: ModelHead
  /// The class names of its dataset, in class-code order (codes when the dataset names none; empty for regression).
  public let classNames: [String]
  /// The trained model's predictions for row-major encoded features, in the head's terms.
  public let predict: (_ features: [Float], _ rowCount: Int) -> HeadPredictions
  public var labelKind: LabelKind { head.labelKind }
  /// Group thresholds that decide instead of `threshold` (`mitigation.thresholds`).
  public var groupThresholds: GroupThresholds?
  /// A reduction's seeded randomised decisions (`TrainedModel.mixtureDecisions`), which decide
  /// instead of `threshold`; nil without a mixture.
  public var mixtureDecisions: ((_ features: [Float], _ rowCount: Int, _ rowIDs: [Int], _ seed: UInt64) -> [Int]?)? = nil
  /// A regression mixture's seeded predictions (`TrainedModel.mixtureValues`), which replace
  /// the expected values in scored files; nil without a regression mixture.
  public var mixtureValues: ((_ features: [Float], _ rowCount: Int, _ rowIDs: [Int], _ seed: UInt64) -> [Double]?)? = nil
  /// The registered version the model was chosen as, or the run's only registered version; nil
  /// for a run that is not registered (or registered more than once and chosen by run).
  public internal(set) var registeredVersion: ModelVersionRecord?
  /// The stage or alias the version was chosen by (`production`, `staging`, `champion`); nil when
  /// chosen by version number or by run.
  public internal(set) var chosenBy: String?

  /// Loads the final checkpoint of a trained run.
  /// - Throws: `TrackingError`/`TrainingError` for an unknown run or a missing checkpoint;
  ///   `MonitoringError` when the dataset changed since training.
  public static func load(runID: String, layout: ProjectLayout) throws -> MonitoredModel {
    let trained = try TrainedModel.load(runID: runID, layout: layout)
    let dataset = Trainer.datasetURL(trained.configuration, layout: layout)
    let file = try KilnDataset.open(dataset)
    let fingerprint = file.metadata.fingerprint, classes = file.metadata.classes
    try file.close()
    guard fingerprint == trained.datasetFingerprint else {
      throw MonitoringError("\(dataset.path) has fingerprint \(fingerprint.prefix(12))… but run \(trained.runID) was trained on \(trained.datasetFingerprint.prefix(12))…",
                            hint: "the dataset was re-imported with other content since training; restore that version or retrain")
    }
    let evaluated = try Tracker(layout: layout).store.latestMetrics(runID: trained.runID)["test.threshold"]?.value
    let threshold = evaluated ?? trained.configuration.evaluation?.threshold ?? 0.5
    let registered = try Tracker(layout: layout).store.modelVersions(runID: trained.runID)
    let classCount = trained.classCount
    return MonitoredModel(name: trained.configuration.name, runID: trained.runID, configuration: trained.configuration,
                          dataset: dataset, threshold: threshold, head: trained.head,
                          classNames: classes.count == classCount ? classes : (0..<classCount).map(String.init),
                          predict: { trained.predictions(features: $0, rowCount: $1) },
                          groupThresholds: trained.groupThresholds,
                          mixtureDecisions: trained.mixture == nil || trained.head != .binary ? nil
                            : { trained.mixtureDecisions(features: $0, rowCount: $1, rowIDs: $2, seed: $3) },
                          mixtureValues: trained.mixture == nil || trained.labelKind != .regression ? nil
                            : { trained.mixtureValues(features: $0, rowCount: $1, rowIDs: $2, seed: $3) },
                          registeredVersion: registered.count == 1 ? registered[0] : nil, chosenBy: nil)
  }

  /// Loads the registered version `reference` names (`NAME`, `NAME@staging`, `NAME:3` …).
  /// - Throws: `ModelReferenceError` for an unknown model, stage or version; as `load(runID:layout:)` otherwise.
  public static func load(reference: ModelReference, layout: ProjectLayout) throws -> MonitoredModel {
    let version = try reference.resolve(layout: layout)
    var model = try load(runID: version.runID, layout: layout)
    model.registeredVersion = version
    switch reference.selector {
    case .production: model.chosenBy = "production"
    case .staging: model.chosenBy = "staging"
    case .champion: model.chosenBy = "champion"
    case .version: model.chosenBy = nil
    }
    return model
  }

  /// The tags that tie a scoring run to this model: `model` (the experiment), `model_run`, and for a
  /// registered version `registered_model`, `model_version` and, when chosen by stage or alias, `model_stage`.
  public var scoringTags: [String: String] {
    var tags = ["kind": "scoring", "model": name, "model_run": runID]
    if let registeredVersion {
      tags["registered_model"] = registeredVersion.modelName
      tags["model_version"] = String(registeredVersion.version)
    }
    if let chosenBy { tags["model_stage"] = chosenBy }
    return tags
  }

  /// The scoring runs (`kiln predict`) of a registered model version, newest first.
  public static func scoringRuns(model: String, version: Int, layout: ProjectLayout) throws -> [RunRecord] {
    try Tracker(layout: layout).runs(RunQuery(tags: ["kind": "scoring", "registered_model": model, "model_version": String(version)]))
  }

  /// The experiment's `evaluation.bootstrap` (resamples and confidence), or nil when it asks for none.
  public var experimentBootstrap: KilnMetrics.BootstrapConfiguration? {
    configuration.evaluation?.bootstrap.map {
      KilnMetrics.BootstrapConfiguration(resamples: $0.resamples, confidenceLevel: $0.confidence ?? 0.95)
    }
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
    var request = BatchScoringRequest(encoding: try encoding(), input: input, output: output, rejects: rejects,
                                      batchSize: batchSize, threshold: threshold, head: head, classNames: classNames, predict: predict)
    request.groupThresholds = groupThresholds
    request.mixtureDecisions = mixtureDecisions
    request.mixtureValues = mixtureValues
    request.decisionSeed = configuration.training.seed
    let tracker = try Tracker(layout: layout)
    let run = try tracker.startRun(experiment: "\(name)-scoring", commandLine: commandLine, tags: scoringTags)
    do {
      let summary = try request.run()
      var parameters = ["model_run": runID, "label_kind": labelKind.rawValue, "input": summary.input, "input_fingerprint": summary.inputFingerprint,
                             "output": summary.output, "threshold": String(threshold), "batch_size": String(batchSize)]
      parameters.merge(scoringTags.filter { ["registered_model", "model_version", "model_stage"].contains($0.key) }) { $1 }
      try run.logParameters(parameters)
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
