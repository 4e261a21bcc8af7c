import Foundation
import KilnReport
import KilnRuns
import KilnTracking

/// `/compare?runs=A,B,…`: 2 to 10 runs side by side — parameters and metrics (rows that differ
/// highlighted), curves of the same metric overlaid, and the differences of their resolved
/// configurations. The JSON download is `kiln runs compare --json`'s.
struct ComparePage {
  let application: UIApplication
  let comparison: RunComparison

  static let maximumRuns = 10

  init(_ application: UIApplication, query: [String: String]) throws {
    self.application = application
    let ids = (query["runs"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    guard (2...ComparePage.maximumRuns).contains(ids.count) else {
      throw PageError(response: .html(HTMLPage.render(title: "Compare", section: "/compare", body: """
        <p>Compare 2 to \(ComparePage.maximumRuns) runs: pick them on the <a href="/runs">runs page</a>, or give their ids, as in
        <code>/compare?runs=ID1,ID2</code>.</p>
        """), status: ids.isEmpty ? 200 : 400))
    }
    do { comparison = try RunComparison(tracker: application.tracker, runIDs: ids) } catch let error as TrackingError {
      throw PageError.notFound(error.message)
    }
  }

  func response(format: TableFormat) throws -> UIResponse {
    let runs = comparison.runs
    let metricKeys = Set(comparison.metrics.flatMap(\.keys)).sorted()
    let parameterKeys = Set(comparison.parameters.flatMap(\.keys)).sorted()
    switch format {
    case .json: return .json(comparison.json())
    case .csv:
      let rows = parameterKeys.map { key in ["params.\(key)"] + comparison.parameters.map { $0[key] ?? "" } }
        + metricKeys.map { key in ["metrics.\(key)"] + comparison.metrics.map { $0[key].map { "\($0)" } ?? "" } }
      return .csv(CSVText.render(header: ["field"] + runs.map(\.id), rows: rows), filename: "compare.csv")
    case .html: break
    }
    let header = [""] + runs.map { HTMLPage.link("/runs/\($0.id)", "\(RunFormatting.shortID($0.id)) \($0.name)") }
    var body = "<h2>Parameters</h2>\n" + sideBySide(header: header, keys: parameterKeys) { key in comparison.parameters.map { $0[key] ?? "-" } }
    body += "<h2>Metrics</h2>\n" + sideBySide(header: header, keys: metricKeys) { key in comparison.metrics.map { RunFormatting.number($0[key]) } }
    body += try overlaidCurves()
    body += "<h2>Configuration differences</h2>\n" + configurationDifferences(header: header)
    let ids = runs.map(\.id).joined(separator: ",")
    body += HTMLPage.downloads(path: "/compare", query: HTMLPage.query([("runs", ids)]))
    return .html(HTMLPage.render(title: "Compare \(runs.count) runs", section: "/compare", body: body))
  }

  /// One row per key, a column per run; rows whose values are not all equal are marked.
  func sideBySide(header: [String], keys: [String], values: (String) -> [String]) -> String {
    var html = "<table><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
    for key in keys {
      let cells = values(key)
      html += "<tr\(Set(cells).count > 1 ? " class=\"differs\"" : "")><td>\(escapeHTML(key))</td>" + cells.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  /// The series with more than one point that several runs share, one chart each, one line per run.
  func overlaidCurves() throws -> String {
    let store = application.store
    var counts: [String: Int] = [:]
    for run in comparison.runs {
      for (key, point) in try store.latestMetrics(runID: run.id) where point.step > 0 { counts[key, default: 0] += 1 }
    }
    let keys = counts.filter { $0.value >= 2 }.keys.sorted().prefix(RunPage.maximumCurves)
    guard !keys.isEmpty else { return "" }
    var html = "<h2>Curves</h2>\n"
    for key in keys {
      let series = try comparison.runs.map { run in
        SVGChart.Series(name: "\(RunFormatting.shortID(run.id)) \(run.name)",
                        points: try RunPage.drawnSeries(store, runID: run.id, key: key).points)
      }
      html += "<figure>\(SVGChart.lines(series, title: key, xLabel: "step", yLabel: "value"))</figure>\n"
    }
    return html
  }

  /// The resolved configurations' leaves (dotted keys) that differ between the runs.
  func configurationDifferences(header: [String]) -> String {
    let leaves = comparison.runs.map { run in
      (try? JSONValue.parse(run.configurationText))?.flattened()
        ?? Dictionary(run.configurationText.split(separator: "\n").enumerated().map { ("line \($0.offset + 1)", String($0.element)) },
                      uniquingKeysWith: { first, _ in first })
    }
    let keys = Set(leaves.flatMap(\.keys)).filter { key in Set(leaves.map { $0[key] ?? "\u{0}" }).count > 1 }.sorted()
    if keys.isEmpty { return "<p class=\"muted\">The resolved configurations are identical.</p>\n" }
    return sideBySide(header: header, keys: keys) { key in leaves.map { $0[key] ?? "-" } }
  }
}
