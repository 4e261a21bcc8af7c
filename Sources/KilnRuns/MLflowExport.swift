import Foundation
import KilnReport
import KilnPaths
import KilnTracking
import KilnConfiguration

/// Writes runs in MLflow's file-store layout, so `mlflow ui --backend-store-uri OUT` opens them:
///
/// ```
/// OUT/<experiment_id>/meta.yaml                    artifact_location, creation_time, experiment_id, last_update_time, lifecycle_stage, name
/// OUT/<experiment_id>/<run_id>/meta.yaml           artifact_uri, end_time, entry_point_name, experiment_id, lifecycle_stage,
///                                                  run_id, run_name, run_uuid, source_name, source_type, source_version,
///                                                  start_time, status, tags, user_id
/// OUT/<experiment_id>/<run_id>/params/<key>        the value, no newline
/// OUT/<experiment_id>/<run_id>/metrics/<key>       one line per point: "<timestamp ms> <value> <step>"
/// OUT/<experiment_id>/<run_id>/tags/<key>          the value (Kiln adds mlflow.runName, mlflow.parentRunId, mlflow.source.git.commit)
/// OUT/<experiment_id>/<run_id>/artifacts/<name>    a copy of each artifact
/// OUT/<experiment_id>/datasets/<id>/meta.yaml      each dataset the runs read: name, digest, source_type `kiln`, source
/// OUT/<experiment_id>/<run_id>/inputs/<id>/meta.yaml   the run's dataset inputs, the split as tag `mlflow.data.context`
/// ```
/// Each run directory holds all four folders even when empty (MLflow ignores it otherwise).
/// Metric, parameter and tag names go through `MLflowNames` (MLflow refuses `&` and most other
/// punctuation). MLflow 3 opens a file store only with `MLFLOW_ALLOW_FILE_STORE=true` set, or
/// after `mlflow migrate-filestore`; `MLflowServerExport` logs to a running server instead.
/// Times are milliseconds since 1970; status is MLflow's number (RUNNING 1, FINISHED 3, FAILED 4, KILLED 5).
public enum MLflowExport {
  public static func write(_ runs: [RunRecord], tracker: Tracker, to output: URL) throws {
    let output = output.standardizedFileURL
    let fileManager = FileManager.default
    try fileManager.createDirectory(at: output.appendingPathComponent(".trash"), withIntermediateDirectories: true)
    let experiments = Dictionary(uniqueKeysWithValues: try tracker.store.experiments().map { ($0.id, $0) })
    for experimentID in Set(runs.map(\.experimentID)).sorted() {
      guard let experiment = experiments[experimentID] else { continue }
      let directory = output.appendingPathComponent(String(experimentID), isDirectory: true)
      let created = milliseconds(experiment.createdTime)
      try writeText(yaml([
        ("artifact_location", quoted(fileURI(directory))), ("creation_time", "\(created)"),
        ("experiment_id", quoted(String(experimentID))), ("last_update_time", "\(created)"),
        ("lifecycle_stage", "active"), ("name", quoted(experiment.name)),
      ]), to: directory.appendingPathComponent("meta.yaml"))
    }
    for run in runs { try writeRun(run, tracker: tracker, output: output) }
  }

  static func writeRun(_ run: RunRecord, tracker: Tracker, output: URL) throws {
    let directory = output.appendingPathComponent(String(run.experimentID)).appendingPathComponent(run.id, isDirectory: true)
    let artifacts = directory.appendingPathComponent("artifacts", isDirectory: true)
    // MLflow only recognises a run directory holding all four folders, even when empty.
    for folder in ["artifacts", "metrics", "params", "tags"] {
      try FileManager.default.createDirectory(at: directory.appendingPathComponent(folder, isDirectory: true),
                                              withIntermediateDirectories: true)
    }
    try writeText(yaml([
      ("artifact_uri", quoted(fileURI(artifacts))),
      ("end_time", run.endTime.map { "\(milliseconds($0))" } ?? "null"),
      ("entry_point_name", "''"), ("experiment_id", quoted(String(run.experimentID))),
      ("lifecycle_stage", run.deletedTime == nil ? "active" : "deleted"),
      ("run_id", run.id), ("run_name", quoted(run.name)), ("run_uuid", run.id),
      ("source_name", "''"), ("source_type", "4"), ("source_version", quoted(run.sourceVersion?.commit ?? "")),
      ("start_time", "\(milliseconds(run.startTime))"), ("status", "\(run.status.mlflowCode)"),
      ("tags", "[]"), ("user_id", "''"),
    ]), to: directory.appendingPathComponent("meta.yaml"))

    for (key, value) in try tracker.store.parameters(runID: run.id) {
      try writeText(value, to: try keyFile(directory, "params", MLflowNames.encoded(key)))
    }
    var tags = try tracker.store.tags(runID: run.id)
    tags["mlflow.runName"] = run.name
    if let parent = run.parentID { tags["mlflow.parentRunId"] = parent }
    if let source = run.sourceVersion { tags["mlflow.source.git.commit"] = source.commit }
    tags["kiln.run_id"] = run.id
    for (key, value) in tags { try writeText(value, to: try keyFile(directory, "tags", MLflowNames.encoded(key))) }
    for key in try tracker.store.latestMetrics(runID: run.id).keys {
      var text = ""
      for point in try tracker.metricHistory(runID: run.id, key: key) {
        text += "\(milliseconds(point.timestamp)) \(pythonFloat(point.value)) \(point.step)\n"
      }
      try writeText(text, to: try keyFile(directory, "metrics", MLflowNames.encoded(key)))
    }
    for dataset in try tracker.store.datasetInputs(runID: run.id) {
      let (datasetID, fields) = datasetFields(dataset)
      let datasetFile = output.appendingPathComponent(String(run.experimentID)).appendingPathComponent("datasets")
        .appendingPathComponent(datasetID).appendingPathComponent("meta.yaml")
      try writeText(yaml(fields.map { ($0.0, quoted($0.1)) } + [("schema", "null"), ("profile", "null")]), to: datasetFile)
      let context = dataset.split.isEmpty ? "{}" : "\n  mlflow.data.context: \(quoted(dataset.split))"
      try writeText(yaml([("source_type", "DATASET"), ("source_id", datasetID), ("destination_type", "RUN"),
                          ("destination_id", run.id), ("tags", context)]),
                    to: directory.appendingPathComponent("inputs").appendingPathComponent(datasetID)
                      .appendingPathComponent("meta.yaml"))
    }
    for artifact in try tracker.store.artifacts(runID: run.id) {
      let destination = try ContainedPath.url(under: artifacts, [artifact.name])
      try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
      try AtomicFile.write(try Data(contentsOf: tracker.artifactStore.url(for: artifact)), to: destination)
    }
  }

  /// A dataset split as MLflow's dataset entity: its name; a digest of the fingerprint's first
  /// 32 hex digits, or 24 and the split (MLflow keeps at most 36 characters, and one input per
  /// dataset and run, so each split read is a dataset of its own); source type `kiln`; and a
  /// source, JSON naming the dataset, its version, whole fingerprint and split, from which the
  /// reference reads back. Returns the id the export files it under, and the fields in order.
  static func datasetFields(_ dataset: DatasetReference) -> (id: String, fields: [(String, String)]) {
    let digest = dataset.split.isEmpty ? String(dataset.fingerprint.prefix(32))
      : dataset.fingerprint.prefix(24) + "-" + dataset.split.prefix(11)
    let source = JSONValue.object(["name": .string(dataset.name), "version": .string(dataset.version),
                                   "fingerprint": .string(dataset.fingerprint), "split": .string(dataset.split)]).canonicalText
    return (dataset.name + "-" + digest, [("name", dataset.name), ("digest", digest), ("source_type", "kiln"), ("source", source)])
  }

  /// A run's dataset reference as a `DatasetInput` of MLflow's REST API, the split as its
  /// `mlflow.data.context` tag.
  static func datasetInput(_ dataset: DatasetReference) -> JSONValue {
    var fields: [String: JSONValue] = [:]
    for (key, value) in datasetFields(dataset).fields { fields[key] = .string(value) }
    let tags: [JSONValue] = dataset.split.isEmpty ? [] : [.object(["key": .string("mlflow.data.context"), "value": .string(dataset.split)])]
    return .object(["dataset": .object(fields), "tags": .array(tags)])
  }

  /// The file of a param, metric or tag; MLflow keys may contain `/`, which makes folders.
  static func keyFile(_ run: URL, _ kind: String, _ key: String) throws -> URL {
    let components = key.split(separator: "/", omittingEmptySubsequences: false)
    guard !key.isEmpty, !key.hasPrefix("/"), !components.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
      throw TrackingError(.exportFailed, "the \(kind) key '\(key)' cannot be written as an MLflow file name",
                          hint: "rename the key without empty, '.' or '..' path components")
    }
    return try ContainedPath.url(under: run, [kind, key])
  }

  /// A `file://` URI without a trailing slash, as MLflow writes them.
  static func fileURI(_ directory: URL) -> String {
    URL(fileURLWithPath: directory.path, isDirectory: false).absoluteString
  }

  static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

  /// A float as Python's `float()` reads it (`nan`, `inf`, `-inf` for the non-finite ones).
  static func pythonFloat(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    return "\(value)"
  }

  static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

  static func yaml(_ fields: [(String, String)]) -> String {
    fields.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
  }

  static func writeText(_ text: String, to url: URL) throws {
    try AtomicFile.write(Data(text.utf8), to: url)
  }
}
