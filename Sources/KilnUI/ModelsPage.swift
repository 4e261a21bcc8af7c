import Foundation
import KilnOutput
import KilnReport
import KilnTracking

/// `/models` and `/models/NAME`: the registry — versions, stages, the champion, gate results,
/// the model card, and the stage history rebuilt from the audit log, which answers "which version
/// was in production on date D" (`/models/NAME?on=2026-11-01`).
enum ModelsPage {
  static func list(_ application: UIApplication, format: TableFormat) throws -> UIResponse {
    let models = try application.store.registeredModels()
    let header = ["model", "latest", "champion (production)", "staging", "created (UTC)"]
    let cells = models.map { model in
      [model.name, "v\(model.latestVersion)", model.championVersion.map { "v\($0)" } ?? "-",
       model.stagingVersions.isEmpty ? "-" : model.stagingVersions.map { "v\($0)" }.joined(separator: ", "), RunFormatting.time(model.createdTime)]
    }
    switch format {
    case .json: return .json(try JSONOutput.encoded(models) + "\n")  // `kiln models list --json`
    case .csv: return .csv(CSVText.render(header: header, rows: cells), filename: "models.csv")
    case .html:
      let rows = cells.map { row in [HTMLPage.link("/models/\(HTMLPage.encoded(row[0]))", row[0])] + row.dropFirst().map(escapeHTML) }
      let body = models.isEmpty ? "<p class=\"muted\">No registered models (register one with <code>kiln promote RUN_ID --model NAME</code>).</p>\n"
        : HTMLPage.table(header: header.map(escapeHTML), rows: rows, id: "models") + HTMLPage.downloads(path: "/models", query: "")
      return .html(HTMLPage.render(title: "Models", section: "/models", body: body))
    }
  }

  static func model(_ application: UIApplication, name: String, format: TableFormat, query: [String: String]) throws -> UIResponse {
    let versions = try application.store.modelVersions(model: name)
    guard !versions.isEmpty else { throw PageError.notFound("There is no registered model named \(name).") }
    let header = ["version", "stage", "alias", "run", "dataset", "commit", "configuration", "created (UTC)", "stage changed (UTC)"]
    let cells = versions.map { version in
      ["v\(version.version)", version.stage.rawValue, version.isChampion ? "champion" : "", version.runID, String(version.datasetFingerprint.prefix(12)),
       version.gitCommit.map { String($0.prefix(10)) } ?? "-", String(version.configurationHash.prefix(12)),
       RunFormatting.time(version.createdTime), RunFormatting.time(version.stageChangedTime)]
    }
    switch format {
    case .json: return .json(try JSONOutput.encoded(versions) + "\n")  // `kiln models show NAME --json`
    case .csv: return .csv(CSVText.render(header: header, rows: cells), filename: "\(name)-versions.csv")
    case .html: break
    }
    // The store selects the events that name the model and the gate evaluations (the log holds
    // every run's events too), merged in sequence order.
    let runs = Set(versions.map(\.runID))
    let named = try application.store.auditEvents(matching: AuditEventQuery(model: name))
    let namedSequences = Set(named.map(\.sequence))
    let gates = try application.store.auditEvents(matching: AuditEventQuery(kind: .gateEvaluated))
      .filter { event in event.runID.map(runs.contains) == true && !namedSequences.contains(event.sequence) }
    let events = (named + gates).sorted { $0.sequence < $1.sequence }
    let history = StageHistory(model: name, events: events)
    var body = HTMLPage.table(header: header.map(escapeHTML), rows: cells.map { row in
      row.enumerated().map { index, cell in index == 3 ? HTMLPage.link("/runs/\(cell)", RunFormatting.shortID(cell)) : escapeHTML(cell) }
    }, id: "versions")
    body += HTMLPage.downloads(path: "/models/\(HTMLPage.encoded(name))", query: "")
    body += "<h2>Stage history</h2>\n" + history.timelineHTML(now: Date())
    body += productionOn(history, query: query, name: name)
    body += HTMLPage.table(header: ["Event", "Time (UTC)", "Kind", "Changes", "By"], rows: history.changes.map { change in
      [HTMLPage.link("/audit" + HTMLPage.query([("sequence", String(change.sequence))]), "#\(change.sequence)"), escapeHTML(RunFormatting.time(change.time)),
       escapeHTML(change.kind), escapeHTML(change.stages.sorted { $0.key < $1.key }.map { "v\($0.key) → \($0.value)" }.joined(separator: ", ")),
       escapeHTML(change.actor ?? "-")]
    })
    body += "<h2>Gate results</h2>\n" + gateResults(events, versions: versions, name: name)
    if let reports = application.reportsDirectory {
      let carded = versions.reversed().first { version in
        FileManager.default.fileExists(atPath: reports.appendingPathComponent("\(name)/v\(version.version)/model-card.html").path)
      }
      if let carded {
        body += "<h2>Model card (v\(carded.version))</h2>\n<iframe class=\"card\" sandbox src=\"/models/\(HTMLPage.encoded(name))/card/\(carded.version)\" title=\"model card\"></iframe>\n"
      }
    }
    return .html(HTMLPage.render(title: "Model \(name)", section: "/models", body: body))
  }

  /// `?on=DATE`: the version in production at the end of that day (UTC), or at that instant.
  static func productionOn(_ history: StageHistory, query: [String: String], name: String) -> String {
    var html = "<form method=\"get\" action=\"/models/\(HTMLPage.encoded(name))\">What was in production on <input type=\"date\" name=\"on\" value=\"\(escapeHTML(query["on"] ?? ""))\"> <button type=\"submit\">Ask</button></form>\n"
    guard let text = query["on"], !text.isEmpty else { return html }
    guard let instant = StageHistory.endOfDay(text) else {
      return html + "<p class=\"error\">\(escapeHTML(text)) is not a date; give one as 2026-11-01.</p>\n"
    }
    let versions = history.production(at: instant)
    html += "<p id=\"production-on\">At the end of \(escapeHTML(text)) (UTC): "
      + (versions.isEmpty ? "no version of \(escapeHTML(name)) was in production." : versions.map { "<b>v\($0)</b>" }.joined(separator: ", ") + " in production.") + "</p>\n"
    return html
  }

  /// The gate evaluations recorded for the model or for the runs of its versions.
  static func gateResults(_ events: [AuditEvent], versions: [ModelVersionRecord], name: String) -> String {
    let runs = Set(versions.map(\.runID))
    let gates = events.filter { event in
      event.kind == .gateEvaluated && (event.payloadValue["model"]?.stringValue == name || event.runID.map(runs.contains) == true)
    }
    guard !gates.isEmpty else { return "<p class=\"muted\">No gate evaluation recorded.</p>\n" }
    return HTMLPage.table(header: ["Event", "Time (UTC)", "Run", "Result"], rows: gates.map { event in
      [String(event.sequence), escapeHTML(RunFormatting.time(event.timestamp)),
       event.runID.map { HTMLPage.link("/runs/\($0)", RunFormatting.shortID($0)) } ?? "-", EvaluationSection.nested(event.payloadValue, depth: 2)]
    })
  }

  /// `reports/NAME/vVERSION/model-card.html`, served inside a sandboxed frame under its own policy.
  static func card(_ application: UIApplication, name: String, version: Int) throws -> UIResponse {
    guard let reports = application.reportsDirectory else { throw PageError.notFound("This server has no reports folder.") }
    let data = try ArtifactDownload.containedFile(under: reports, [name, "v\(version)", "model-card.html"])
    return UIResponse(contentType: "text/html; charset=utf-8", body: data)
  }
}

/// A model's stage changes replayed from the audit log: every event whose payload names the
/// model and carries `versions` (version → new stage), as the registry writes them.
struct StageHistory {
  struct Change {
    var sequence: Int64
    var time: Date
    var kind: String
    var stages: [Int: String]
    var actor: String?
  }

  let changes: [Change]

  init(model: String, events: [AuditEvent]) {
    changes = events.compactMap { event in
      let payload = event.payloadValue
      guard payload["model"]?.stringValue == model, case .object(let versions)? = payload["versions"] else { return nil }
      var stages: [Int: String] = [:]
      for (version, stage) in versions { if let number = Int(version), let stage = stage.stringValue { stages[number] = stage } }
      return Change(sequence: event.sequence, time: event.timestamp, kind: event.kind.rawValue, stages: stages,
                    actor: payload["approver"]?.stringValue ?? payload["actor"]?.stringValue)
    }
  }

  /// The versions in production just after the last change at or before `instant`.
  func production(at instant: Date) -> [Int] {
    var stages: [Int: String] = [:]
    for change in changes where change.time <= instant { stages.merge(change.stages) { _, new in new } }
    return stages.filter { $0.value == ModelStage.production.rawValue }.keys.sorted()
  }

  /// Periods of production, oldest first: (version or nil for none, start, end).
  func productionPeriods(now: Date) -> [(version: Int?, start: Date, end: Date)] {
    guard let first = changes.first?.time else { return [] }
    var periods: [(version: Int?, start: Date, end: Date)] = []
    var current: Int? = nil, since = first
    var stages: [Int: String] = [:]
    for change in changes {
      stages.merge(change.stages) { _, new in new }
      let next = stages.filter { $0.value == ModelStage.production.rawValue }.keys.max()
      if next != current {
        if change.time > since { periods.append((current, since, change.time)) }
        current = next
        since = change.time
      }
    }
    periods.append((current, since, max(now, since)))
    return periods
  }

  /// The production periods as one bar, each period as wide as its share of the time.
  func timelineHTML(now: Date) -> String {
    let periods = productionPeriods(now: now)
    guard let start = periods.first?.start, let end = periods.last?.end, end > start else {
      return "<p class=\"muted\">No stage change recorded.</p>\n"
    }
    // The bar ends a little after the last change rather than now, so a long current period
    // does not squeeze the history into a sliver; the table below gives every period's dates.
    let lastChange = changes.last?.time ?? end
    let barEnd = min(end, lastChange.addingTimeInterval(max(lastChange.timeIntervalSince(start) * 0.15, 1)))
    let total = barEnd.timeIntervalSince(start)
    var html = "<div class=\"timeline\" id=\"stage-timeline\">"
    for period in periods {
      let share = max(min(period.end, barEnd).timeIntervalSince(period.start) / total, 0.002)
      let label = period.version.map { "v\($0)" } ?? "none"
      // The policy forbids inline styles, so the page's script turns `data-share` into the width.
      html += "<span class=\"\(period.version == nil ? "stage-none" : "stage-production")\" data-share=\"\(String(format: "%.4f", share))\" title=\"\(escapeHTML("\(label): \(RunFormatting.time(period.start)) – \(RunFormatting.time(period.end))"))\">\(escapeHTML(label))</span>"
    }
    html += "</div>\n"
    html += HTMLPage.table(header: ["In production", "From (UTC)", "Until (UTC)"], rows: periods.map { period in
      [period.version.map { "v\($0)" } ?? "none", escapeHTML(RunFormatting.time(period.start)), escapeHTML(RunFormatting.time(period.end))]
    })
    return html
  }

  /// The last instant of a `yyyy-MM-dd` day in UTC, or an ISO 8601 instant as given.
  static func endOfDay(_ text: String) -> Date? {
    let formatter = ISO8601DateFormatter()
    if let instant = formatter.date(from: text) { return instant }
    formatter.formatOptions = [.withFullDate]
    return formatter.date(from: text).map { $0.addingTimeInterval(86_400 - 0.001) }
  }
}
