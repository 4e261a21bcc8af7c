import Foundation
import KilnReport
import KilnPaths
import KilnTracking
import KilnConfiguration

/// `kiln runs export`: runs written as CSV (one row per run), JSON (runs with full metric
/// histories) or MLflow's file-store layout.
public enum RunExportFormat: String, CaseIterable, Sendable {
  case csv
  case json
  case mlflow
}

public enum RunExport {
  /// Writes `runs` to `output` in `format`: a file for CSV and JSON, a directory for MLflow.
  public static func write(_ runs: [RunRecord], tracker: Tracker, format: RunExportFormat, to output: URL) throws {
    switch format {
    case .csv: try AtomicFile.write(Data(try csv(runs, tracker: tracker).utf8), to: output)
    case .json: try AtomicFile.write(Data(try json(runs, tracker: tracker).utf8), to: output)
    case .mlflow: try MLflowExport.write(runs, tracker: tracker, to: output)
    }
  }

  /// One row per run: identity columns, then `params.*` and `metrics.*` (latest values).
  public static func csv(_ runs: [RunRecord], tracker: Tracker) throws -> String {
    let parameters = try runs.map { try tracker.store.parameters(runID: $0.id) }
    let metrics = try tracker.store.latestMetrics(runIDs: runs.map(\.id), keys: nil)
    let parameterKeys = Set(parameters.flatMap(\.keys)).sorted()
    let metricKeys = Set(metrics.values.flatMap(\.keys)).sorted()
    var lines = [(["id", "experiment", "name", "status", "start_time", "end_time", "parent", "seed", "configuration_hash"]
                  + parameterKeys.map { "params.\($0)" } + metricKeys.map { "metrics.\($0)" }).map(field).joined(separator: ",")]
    for (index, run) in runs.enumerated() {
      let identity = [run.id, run.experiment, run.name, run.status.rawValue, RunFormatting.isoTime(run.startTime).parameterText,
                      run.endTime.map { RunFormatting.isoTime($0).parameterText } ?? "", run.parentID ?? "",
                      run.seed.map(String.init) ?? "", run.configurationHash]
      let values = parameterKeys.map { parameters[index][$0] ?? "" }
        + metricKeys.map { key in metrics[run.id]?[key].map { "\($0)" } ?? "" }
      lines.append((identity + values).map(field).joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled.
  package static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A JSON array of runs with params, tags, lineage, artifacts and every metric point.
  public static func json(_ runs: [RunRecord], tracker: Tracker) throws -> String {
    let items: [JSONValue] = try runs.map { run in
      var object = RunFormatting.summary(run)
      object["configuration"] = .string(run.configurationText)
      object["parameters"] = .object(try tracker.store.parameters(runID: run.id).mapValues(JSONValue.string))
      object["tags"] = .object(try tracker.store.tags(runID: run.id).mapValues(JSONValue.string))
      var histories: [String: JSONValue] = [:]
      for key in try tracker.store.latestMetrics(runID: run.id).keys {
        histories[key] = .array(try tracker.metricHistory(runID: run.id, key: key).map {
          .object(["step": .number(Double($0.step)), "value": .number($0.value), "timestamp": RunFormatting.isoTime($0.timestamp)])
        })
      }
      object["metrics"] = .object(histories)
      object["artifacts"] = .array(try tracker.store.artifacts(runID: run.id).map {
        .object(["name": .string($0.name), "size": .number(Double($0.size)), "sha256": .string($0.sha256)])
      })
      object["inputs"] = .array(try tracker.store.datasetInputs(runID: run.id).map {
        .object(["name": .string($0.name), "version": .string($0.version), "split": .string($0.split), "fingerprint": .string($0.fingerprint)])
      })
      return .object(object)
    }
    return RunFormatting.json(.array(items)) + "\n"
  }
}

/// Writes files whole: to a temporary file in the same directory, then renamed over the target.
enum AtomicFile {
  static func write(_ data: Data, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    TemporaryFile.removeAbandoned(besides: url)
    let temporary = TemporaryFile.beside(url)
    try data.write(to: temporary)
    guard rename(temporary.path, url.path) == 0 else {
      try? FileManager.default.removeItem(at: temporary)
      throw TrackingError(.exportFailed, "cannot write \(url.path) (errno \(errno))", hint: "check that the directory is writable")
    }
  }
}
