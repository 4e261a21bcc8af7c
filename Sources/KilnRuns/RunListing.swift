import KilnOutput
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration

/// `kiln runs list`: the runs matching a query, as a table or JSON.
public struct RunListing: CommandOutput {
  public let runs: [RunRecord]
  /// The metric columns shown in the table.
  public let metricKeys: [String]
  /// Latest metric values by run id and key.
  public let metrics: [String: [String: Double]]

  /// Fetches the runs of `query` and the metric values to show beside them: the metrics the query
  /// mentions, or (when none) up to four of the first run's metrics; JSON output carries all.
  public init(tracker: Tracker, query: RunQuery, allMetrics: Bool = false) throws {
    runs = try tracker.runs(query)
    var keys = query.referencedMetricKeys
    if keys.isEmpty, let first = runs.first {
      keys = Array(try tracker.store.latestMetrics(runID: first.id).keys.sorted().prefix(4))
    }
    metricKeys = keys
    metrics = try tracker.store.latestMetrics(runIDs: runs.map(\.id), keys: allMetrics ? nil : keys)
  }

  /// The table printed by default.
  public func text() -> String {
    var table = TextTable(header: ["ID", "EXPERIMENT", "NAME", "STATUS", "STARTED (UTC)", "DURATION"] + metricKeys)
    for run in runs {
      let values = metricKeys.map { RunFormatting.number(metrics[run.id]?[$0]) }
      table.append([RunFormatting.shortID(run.id), run.experiment, run.name, run.status.rawValue,
                    RunFormatting.time(run.startTime), RunFormatting.duration(run)] + values)
    }
    return table.rendered()
  }

  /// One JSON array with each run's identity and latest metrics.
  public func json() -> String {
    let items: [JSONValue] = runs.map { run in
      var object = RunFormatting.summary(run)
      object["metrics"] = .object((metrics[run.id] ?? [:]).mapValues(JSONValue.number))
      return .object(object)
    }
    return RunFormatting.json(.array(items)) + "\n"
  }
}
