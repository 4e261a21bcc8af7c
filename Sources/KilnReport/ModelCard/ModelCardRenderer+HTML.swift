import Foundation
import KilnMetrics

extension ModelCardRenderer {
  /// The card as one self-contained HTML page: inline CSS and SVG, no scripts, no external
  /// requests. Every string from data or configuration goes through `escapeHTML`.
  public static func html(_ input: ModelCardInput) -> String {
    let title = "Model card: \(input.modelName) v\(input.version)"
    var body = "<h1>\(escapeHTML(title))</h1>\n"
    body += "<p class=\"meta\">Generated \(escapeHTML(date(input.generatedTime))) from run <code>\(escapeHTML(input.lineage.runID))</code>.</p>\n"
    body += "<p class=\"meta\">\(escapeHTML(input.auditHead?.reportLine ?? "Audit chain head: not recorded")).</p>\n"
    if let decision = input.decision {
      let verdict = decision.verdict.rawValue
      body += "<p class=\"verdict \(verdict)\">Gate decision: <strong>\(verdict.uppercased())</strong></p>\n"
    }
    body += detailsSection(input) + intendedUseSection(input) + metricsSection(input) + dataSection(input)
    body += quantitativeSection(input) + chartsSection(input) + gatesSection(input) + considerationsSection(input)
    return """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escapeHTML(title))</title>
    <style>
    body { font-family: sans-serif; max-width: 1000px; margin: 2em auto; padding: 0 1em; color: #222; line-height: 1.45; }
    h1 { font-size: 1.6em; overflow-wrap: anywhere; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
    table { border-collapse: collapse; margin: .6em 0; font-size: .9em; display: block; overflow-x: auto; max-width: 100%; }
    th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
    th { background: #f4f4f4; white-space: nowrap; } td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    code { overflow-wrap: anywhere; font-size: .9em; } .meta { color: #666; }
    .verdict { font-size: 1.2em; padding: .4em .8em; border-radius: 4px; display: inline-block; }
    .verdict.promote { background: #e3f4e8; color: #0a5c2a; } .verdict.reject { background: #fbe4e4; color: #8a1111; }
    .pass { color: #0a5c2a; } .fail { color: #8a1111; font-weight: bold; }
    .charts { display: flex; flex-wrap: wrap; gap: 12px; } .charts figure { margin: 0; flex: 0 1 420px; min-width: 0; }
    .charts svg { max-width: 100%; height: auto; display: block; } .missing { color: #888; font-style: italic; }
    </style>
    </head>
    <body>
    \(body)</body>
    </html>

    """
  }

  static func list(_ items: [String]) -> String {
    guard !items.isEmpty else { return "<p class=\"missing\">not stated</p>\n" }
    return "<ul>\n" + items.map { "<li>\(escapeHTML($0))</li>\n" }.joined() + "</ul>\n"
  }

  static func table(_ header: [String], _ rows: [[(text: String, numeric: Bool)]]) -> String {
    var html = "<table>\n<tr>" + header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr>\n"
    for row in rows {
      html += "<tr>" + row.map { "<td\($0.numeric ? " class=\"number\"" : "")>\(escapeHTML($0.text))</td>" }.joined() + "</tr>\n"
    }
    return html + "</table>\n"
  }

  static func detailsSection(_ input: ModelCardInput) -> String {
    var html = "<h2>Model details</h2>\n<p>\(escapeHTML(input.prose.overview.isEmpty ? "No overview given." : input.prose.overview))</p>\n"
    var rows: [[(text: String, numeric: Bool)]] = [
      [("architecture", false), (input.architecture, false)],
      [("owners", false), (input.prose.owners.isEmpty ? "not stated" : input.prose.owners.joined(separator: ", "), false)],
      [("license", false), (input.prose.license ?? "not stated", false)],
      [("git commit", false), (input.lineage.gitCommit ?? "unknown", false)],
      [("configuration hash", false), (input.lineage.configurationHash, false)],
      [("checkpoint", false), (input.lineage.checkpointArtifact + (input.lineage.checkpointSHA256.map { " (sha256 \($0))" } ?? ""), false)],
      [("approval", false), (approvalText(input), false)],
    ]
    rows += input.hyperparameters.sorted { $0.key < $1.key }.map { [($0.key, false), ($0.value, false)] }
    html += table(["field", "value"], rows)
    if !input.prose.references.isEmpty { html += "<h3>References</h3>\n" + list(input.prose.references) }
    return html
  }

  static func intendedUseSection(_ input: ModelCardInput) -> String {
    "<h2>Intended use</h2>\n<h3>Primary intended uses</h3>\n" + list(input.prose.intendedUses)
      + "<h3>Primary intended users</h3>\n" + list(input.prose.intendedUsers)
      + "<h3>Out-of-scope uses</h3>\n" + list(input.prose.outOfScopeUses)
      + "<h2>Factors</h2>\n" + list(input.prose.factors)
  }

  static func metricsSection(_ input: ModelCardInput) -> String {
    "<h2>Metrics</h2>\n<ul>\n<li>"
      + (input.isBinary ? "Decision threshold: \(escapeHTML(format(input.decisionThreshold)))" : "Output: \(escapeHTML(input.outputDescription))")
      + "</li>\n"
      + "<li>Uncertainty: \(escapeHTML(input.uncertaintyMethod))</li>\n</ul>\n"
  }

  static func dataSection(_ input: ModelCardInput) -> String {
    func rows(_ data: [ModelCardInput.DataDescription]) -> String {
      guard !data.isEmpty else { return "<p class=\"missing\">not recorded</p>\n" }
      return table(["dataset", "split", "rows", "fingerprint"], data.map {
        [($0.name, false), ($0.split, false), ($0.rows.map(String.init) ?? "—", true), ($0.fingerprint ?? "—", false)]
      })
    }
    return "<h2>Evaluation data</h2>\n" + rows(input.evaluationData) + "<h2>Training data</h2>\n" + rows(input.trainingData)
  }

  static func quantitativeSection(_ input: ModelCardInput) -> String {
    var html = "<h2>Quantitative analyses</h2>\n<h3>Overall</h3>\n"
    html += table(["metric", "value", "confidence interval", "gate"], input.metrics.keys.sorted().map { name in
      let estimate = input.metrics[name]!
      return [(name, false), (value(estimate), true), (format(shownInterval(estimate)), true), (gateCell(input.gateResults(for: name)), false)]
    })
    if !input.groupMetrics.isEmpty {
      html += "<h3>By group (unitary and intersectional)</h3>\n"
      let groups = groupTable(input)
      html += "<p>Each cell: value [confidence interval]; an empty group has no rows.</p>\n"
      html += table(["attribute", "group", "n"] + groups.metrics, groups.rows.map { row in
        [(row.attribute, false), (row.group, false), (String(row.count), true)] + row.cells.map { ($0, true) }
      })
    }
    return html + mitigationSection(input)
  }

  static func gatesSection(_ input: ModelCardInput) -> String {
    guard let decision = input.decision else { return "<h2>Gates</h2>\n<p class=\"missing\">no gates were evaluated</p>\n" }
    var html = "<h2>Gates: \(decision.verdict.rawValue.uppercased())</h2>\n<table>\n<tr>"
    html += ["gate", "metric", "observed", "threshold", "margin", "outcome", "reason"].map { "<th>\($0)</th>" }.joined() + "</tr>\n"
    for result in decision.results {
      let outcome = result.outcome.rawValue + (result.gate.severity == .warn ? " (warn)" : "")
      html += "<tr><td>\(escapeHTML(result.gate.summary))</td><td>\(escapeHTML(result.metric))</td>"
      html += [result.observed, result.threshold, result.margin].map { "<td class=\"number\">\(escapeHTML(format($0)))</td>" }.joined()
      html += "<td class=\"\(result.outcome.rawValue)\">\(escapeHTML(outcome))</td><td>\(escapeHTML(result.reason))</td></tr>\n"
    }
    return html + "</table>\n"
  }

  static func considerationsSection(_ input: ModelCardInput) -> String {
    var html = "<h2>Ethical considerations</h2>\n"
    if input.prose.ethicalConsiderations.isEmpty {
      html += "<p class=\"missing\">not stated</p>\n"
    } else {
      html += "<ul>\n" + input.prose.ethicalConsiderations.map {
        "<li><strong>\(escapeHTML($0.name))</strong>: \(escapeHTML($0.mitigation))</li>\n"
      }.joined() + "</ul>\n"
    }
    return html + "<h2>Caveats and recommendations</h2>\n" + list(input.prose.caveats)
  }
}
