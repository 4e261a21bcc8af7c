import KilnOutput
import Foundation
import KilnPaths
import KilnDrift
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension DriftReport {
  /// A terminal table: one line per feature, then the score, the group mixes and groups with drift.
  public func text() -> String {
    var lines = ["Drift: \(verdict.rawValue.uppercased())  (reference \(referenceRows) rows, current \(currentRows) rows; "
                 + "drift when PSI > \(thresholds.psiThreshold) and p < \(thresholds.pValue))", ""]
    let header = ["feature", "kind", "PSI", "test", "statistic", "p-value", "effect", "verdict"]
    var rows = features.map(Self.row)
    if let score { rows.append(Self.row(score)) }
    lines.append(contentsOf: Self.table(header: header, rows: rows))
    if !groupMix.isEmpty {
      lines.append("")
      lines.append("Group mix")
      lines.append(contentsOf: Self.table(header: ["attribute", "kind", "PSI", "test", "statistic", "p-value", "effect", "verdict"],
                                          rows: groupMix.map(Self.row)))
    }
    let flagged = withinGroups.filter { $0.verdict == .drift }
    if !flagged.isEmpty {
      lines.append("")
      lines.append("Drift within groups")
      for group in flagged {
        lines.append("  \(group.attribute)=\(group.group) (\(group.referenceCount) → \(group.currentCount) rows): \(group.driftedFeatures.joined(separator: ", "))")
      }
    }
    let small = withinGroups.filter(\.isInsufficient)
    if !small.isEmpty {
      lines.append("  too small to test (< \(thresholds.minGroupSize) rows): " + small.map { "\($0.attribute)=\($0.group)" }.joined(separator: ", "))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The report with the audit log's head (`audit_head` in its JSON) when given: what `kiln drift` prints.
  public func anchored(at auditHead: AuditHead?) -> AuditAnchored<DriftReport> {
    AuditAnchored(report: self, auditHead: auditHead)
  }

  /// A self-contained HTML page: verdicts, the table, and paired histograms (reference vs current)
  /// as inline SVG for every feature, the score and each group mix.
  public func renderedHTML(title: String, auditHead: AuditHead? = nil) -> String {
    var html = """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8"><title>\(escapeHTML(title))</title>
    <style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}
    td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child{text-align:left}
    .drift{background:#fbe3d6}.warning{background:#fff6d5}.charts{display:flex;flex-wrap:wrap;gap:12px}</style>
    </head><body>
    <h1>\(escapeHTML(title))</h1>
    <p>Overall verdict: <strong>\(verdict.rawValue)</strong>. Reference: \(referenceRows) rows; current: \(currentRows) rows.
    A feature drifts when PSI &gt; \(thresholds.psiThreshold) and its two-sample test gives p &lt; \(thresholds.pValue).</p>
    <p>\(escapeHTML(auditHead?.reportLine ?? "Audit chain head: not recorded (no tracking store)")).</p>

    """
    html += "<ul>" + context.sorted { $0.key < $1.key }.map { "<li>\(escapeHTML($0.key)): \(escapeHTML($0.value))</li>" }.joined() + "</ul>\n"
    html += "<h2>Features</h2>\n" + Self.htmlTable(features + (score.map { [$0] } ?? []))
    html += "<h2>Group mix</h2>\n" + Self.htmlTable(groupMix)
    html += "<h2>Drift within groups</h2>\n<table><tr><th>group</th><th>reference rows</th><th>current rows</th><th>verdict</th><th>drifted features</th></tr>\n"
    for group in withinGroups {
      let verdictText = group.isInsufficient ? "too small" : group.verdict.rawValue
      html += "<tr class=\"\(group.verdict.rawValue)\"><td>\(escapeHTML("\(group.attribute)=\(group.group)"))</td><td>\(group.referenceCount)</td><td>\(group.currentCount)</td><td>\(verdictText)</td><td>\(escapeHTML(group.driftedFeatures.joined(separator: ", ")))</td></tr>\n"
    }
    html += "</table>\n<h2>Distributions</h2>\n<div class=\"charts\">\n"
    for drift in features + (score.map { [$0] } ?? []) + groupMix {
      html += SVGChart.pairedHistogram(binLabels: drift.bins, reference: drift.referenceShares, current: drift.currentShares,
                                       title: "\(drift.name) — PSI \(String(format: "%.3f", drift.psi)) (\(drift.verdict.rawValue))") + "\n"
    }
    return html + "</div>\n</body></html>\n"
  }

  /// Writes `drift.json` and `drift.html` into `directory` (created if needed), each atomically,
  /// both recording `auditHead`, the audit log's head they were written at.
  public func write(to directory: URL, title: String, auditHead: AuditHead?) throws {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    try Self.writeAtomically(Data(try anchored(at: auditHead).json().utf8), to: directory.appendingPathComponent("drift.json"))
    try Self.writeAtomically(Data(renderedHTML(title: title, auditHead: auditHead).utf8), to: directory.appendingPathComponent("drift.html"))
  }

  /// Writes to a temporary file in the same directory, then renames it over `url`.
  static func writeAtomically(_ data: Data, to url: URL) throws {
    TemporaryFile.removeAbandoned(besides: url)
    let temporary = TemporaryFile.beside(url)
    do {
      try data.write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else { throw MonitoringError("cannot rename \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))") }
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
  }

  private static func row(_ drift: FeatureDrift) -> [String] {
    [drift.name, drift.kind.rawValue, String(format: "%.3f", drift.psi),
     drift.test.test == .kolmogorovSmirnov ? "KS" : "chi2", String(format: "%.4g", drift.test.statistic),
     String(format: "%.3g", drift.test.pValue), String(format: "%.3f", drift.test.effectSize), drift.verdict.rawValue]
  }

  private static func table(header: [String], rows: [[String]]) -> [String] {
    let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == 0 ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[index] - cell.count) + cell
      }.joined(separator: "  ")
    }
    return [line(header)] + rows.map(line)
  }

  private static func htmlTable(_ drifts: [FeatureDrift]) -> String {
    var html = "<table><tr><th>name</th><th>kind</th><th>PSI</th><th>test</th><th>statistic</th><th>p-value</th><th>effect size</th><th>verdict</th></tr>\n"
    for drift in drifts {
      html += "<tr class=\"\(drift.verdict.rawValue)\">" + row(drift).map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>\n"
    }
    return html + "</table>\n"
  }
}
