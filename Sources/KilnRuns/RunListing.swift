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
    var array = JSONArrayText()
    var text = ""
    for run in runs { text += array.element(Self.jsonItem(run, metrics: metrics[run.id] ?? [:])) }
    return text + array.end()
  }

  /// One run of the JSON listing: its identity and latest metrics.
  static func jsonItem(_ run: RunRecord, metrics: [String: Double]) -> JSONValue {
    var object = RunFormatting.summary(run)
    object["metrics"] = .object(metrics.mapValues(JSONValue.number))
    return .object(object)
  }

  /// Writes the runs of `query` with all their latest metrics as `json()` does, the same text,
  /// fetching and writing `pageSize` runs at a time, so memory stays flat however many runs
  /// match. `write` gets the text a page at a time.
  ///
  /// Nothing is written before the first page has been read, and the array's closing `]` only
  /// after the last: output cut short by an error (the command then exits with its status and
  /// message) is never a complete JSON document.
  public static func writeJSON(tracker: Tracker, query: RunQuery, pageSize: Int = 1_000, _ write: (String) throws -> Void) throws {
    var array = JSONArrayText()
    try tracker.store.forEachRunPage(matching: query, pageSize: pageSize, metricKeys: nil) { page in
      try write(page.runs.map { array.element(jsonItem($0, metrics: page.metrics[$0.id] ?? [:])) }.joined())
    }
    try write(array.end())
  }
}

/// The text of a pretty-printed JSON array, an element at a time: the pieces joined are
/// `RunFormatting.json(.array(elements)) + "\n"`, without holding the elements.
struct JSONArrayText {
  private var count = 0

  /// The text that adds `element` to the array.
  mutating func element(_ element: JSONValue) -> String {
    defer { count += 1 }
    // Inside the array every line of the element is indented one level (two spaces); read as
    // bytes, since a listing writes millions of lines.
    let (newline, space) = (UInt8(ascii: "\n"), UInt8(ascii: " "))
    var bytes = Array((count == 0 ? "[\n" : ",\n").utf8)
    var lineStart = true
    for byte in RunFormatting.json(element).utf8 {
      if lineStart && byte != newline { bytes += [space, space] }
      bytes.append(byte)
      lineStart = byte == newline
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The text that ends the array: only then is the text a complete JSON document.
  func end() -> String {
    count == 0 ? RunFormatting.json(.array([])) + "\n" : "\n]\n"
  }
}
