import KilnOutput
import Foundation
import KilnData
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

/// What `kiln retrain` did: the new dataset version and the pipeline run over it.
public struct RetrainingSummary: Sendable, CommandOutput {
  public var dataset: DatasetVersion
  public var pipeline: PipelineSummary

  /// The dataset version's line, then the pipeline's summary.
  public func text() -> String {
    "dataset: \(dataset.name) v\(dataset.version) \(dataset.fingerprint) (parent v\(dataset.parentVersion) \(dataset.parentFingerprint))\n"
      + pipeline.text()
  }

  /// The pipeline's object with the new dataset version under `dataset_version`.
  public func json() throws -> String {
    guard case .object(var object) = pipeline.jsonValue else { return try pipeline.json() }
    object["dataset_version"] = .object([
      "name": .string(dataset.name), "version": .number(Double(dataset.version)), "fingerprint": .string(dataset.fingerprint),
      "parent_version": .string(dataset.parentVersion), "parent_fingerprint": .string(dataset.parentFingerprint),
      "new_rows": .number(Double(dataset.newRows)), "replaced": .bool(dataset.replaced),
    ])
    return try JSONOutput.encoded(JSONValue.object(object))
  }
}

/// `kiln retrain EXPERIMENT --new-data FILE [--replace]`: derive the next dataset version with the
/// new raw rows, import it, and run the golden path on it, so the challenger is gated against the
/// current champion by the experiment's gates and registered as the next model version.
public enum Retraining {
  public static let datasetVersioned: AuditEventKind = "dataset.versioned"
  public static let modelRetrained: AuditEventKind = "model.retrained"

  public static func run(experimentFile: URL, newData: URL, replace: Bool, layout: ProjectLayout,
                         options: PipelineOptions, log: (String) -> Void = { _ in }) throws -> RetrainingSummary {
    let configuration = try ExperimentConfiguration.load(file: experimentFile, overrides: options.overrides)
    let datasetFile = Trainer.datasetURL(configuration, layout: layout)
    let recipe = datasetFile.deletingLastPathComponent().appendingPathComponent("dataset.yaml")
    guard FileManager.default.fileExists(atPath: recipe.path) else {
      throw DatasetError(.missingFile, "\(experimentFile.path): dataset \(configuration.dataset) has no recipe at \(recipe.path) to derive a new version from",
                         hint: "put the dataset's recipe (dataset.yaml) beside the .h5 the experiment names")
    }
    guard FileManager.default.fileExists(atPath: newData.path) else {
      throw DatasetError(.missingFile, "\(newData.path): new-data file does not exist", hint: "check the path given to --new-data")
    }
    let (parentFile, _) = try Pipeline.ensureDataset(configuration, layout: layout)
    let version = try DatasetVersioning.derive(baseRecipe: recipe, parentFile: parentFile, newData: newData, replace: replace)
    let relativeFile = ProjectLayout.relative(version.file, to: layout)
    log("dataset: \(version.name) v\(version.version) (\(relativeFile), fingerprint \(version.fingerprint.prefix(12))) "
        + "from v\(version.parentVersion) (\(version.parentFingerprint.prefix(12))), \(version.newRows) rows \(replace ? "replacing" : "appended to") the training data")
    let lineage: [String: JSONValue] = [
      "dataset": .string(version.name), "version": .number(Double(version.version)), "file": .string(relativeFile),
      "fingerprint": .string(version.fingerprint), "parent_version": .string(version.parentVersion),
      "parent_fingerprint": .string(version.parentFingerprint), "new_rows": .number(Double(version.newRows)),
      "mode": .string(replace ? "replace" : "append"),
    ]
    try Tracker(layout: layout).recordAuditEvent(datasetVersioned, payload: .object(lineage))
    var pipelineOptions = options
    pipelineOptions.overrides.append("dataset=\(relativeFile)")
    pipelineOptions.tags.merge([
      "retrain.dataset_version": String(version.version), "retrain.dataset_fingerprint": version.fingerprint,
      "retrain.parent_dataset_version": version.parentVersion, "retrain.parent_dataset_fingerprint": version.parentFingerprint,
    ]) { $1 }
    let pipeline = try Pipeline.run(experimentFile: experimentFile, layout: layout, options: pipelineOptions, log: log)
    var retrained = lineage
    retrained["model"] = .string(pipeline.outcome.version.modelName)
    retrained["model_version"] = .number(Double(pipeline.outcome.version.version))
    try Tracker(layout: layout).recordAuditEvent(modelRetrained, runID: pipeline.runID, payload: .object(retrained))
    return RetrainingSummary(dataset: version, pipeline: pipeline)
  }
}
