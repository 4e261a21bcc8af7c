import Foundation
import KilnOutput
import KilnReport
import KilnTracking

/// `/audit`: the audit log, newest first, filtered by kind, run, model, text or sequence, with
/// the result of `kiln audit verify`'s chain and registry check on top.
enum AuditPage {
  static let pageSize = 200

  static func response(_ application: UIApplication, query: [String: String], format: TableFormat) throws -> UIResponse {
    let kind = query["kind"] ?? "", run = query["run"] ?? "", model = query["model"] ?? "", text = query["q"] ?? ""
    let sequence = Int64(query["sequence"] ?? "")
    let page = max(1, Int(query["page"] ?? "") ?? 1)
    let events = try application.store.auditEvents()
    let matching = events.reversed().filter { event in
      (kind.isEmpty || event.kind.rawValue == kind) && (run.isEmpty || (event.runID ?? "").hasPrefix(run))
        && (model.isEmpty || event.payloadValue["model"]?.stringValue == model)
        && (text.isEmpty || event.payload.localizedCaseInsensitiveContains(text)) && (sequence == nil || event.sequence == sequence)
    }
    let shown = Array(matching.dropFirst((page - 1) * pageSize).prefix(pageSize))
    switch format {
    case .json: return .json(try JSONOutput.encoded(shown) + "\n")
    case .csv:
      return .csv(CSVText.render(header: ["sequence", "time", "kind", "run_id", "payload", "hash"], rows: shown.map { event in
        [String(event.sequence), RunFormatting.isoTime(event.timestamp).parameterText, event.kind.rawValue, event.runID ?? "", event.payload, event.hash]
      }), filename: "audit.csv")
    case .html: break
    }
    let verification = try application.tracker.verifyAuditLog()
    var body = verification.isIntact
      ? "<p class=\"ok\" id=\"verify\">Audit log intact: \(verification.eventCount) events, hash chain and registry agree.</p>\n"
      : "<p class=\"error\" id=\"verify\">Audit log BROKEN at event \(verification.firstBadEvent ?? 0) of \(verification.eventCount): \(escapeHTML(verification.reason ?? ""))</p>\n"
    let kinds = Array(Set(events.map(\.kind.rawValue))).sorted()
    body += "<form class=\"filter\" method=\"get\" action=\"/audit\"><select name=\"kind\">"
      + ([""] + kinds).map { "<option value=\"\(escapeHTML($0))\"\($0 == kind ? " selected" : "")>\($0.isEmpty ? "all kinds" : escapeHTML($0))</option>" }.joined()
      + "</select> <input type=\"text\" name=\"run\" value=\"\(escapeHTML(run))\" placeholder=\"run id\" size=\"12\">"
      + " <input type=\"text\" name=\"model\" value=\"\(escapeHTML(model))\" placeholder=\"model\" size=\"12\">"
      + " <input type=\"text\" name=\"q\" value=\"\(escapeHTML(text))\" placeholder=\"text in payload\" size=\"20\"> <button type=\"submit\">Filter</button></form>\n"
    body += "<p class=\"muted\">\(matching.count) matching events; showing \(shown.count), newest first.</p>\n"
    body += HTMLPage.table(header: ["#", "Time (UTC)", "Kind", "Run", "Payload"], rows: shown.map { event in
      [String(event.sequence), escapeHTML(RunFormatting.time(event.timestamp)), escapeHTML(event.kind.rawValue),
       event.runID.map { HTMLPage.link("/runs/\($0)", RunFormatting.shortID($0)) } ?? "-", "<code>\(escapeHTML(event.payload))</code>"]
    }, id: "events")
    let filters = [("kind", kind), ("run", run), ("model", model), ("q", text), ("sequence", sequence.map(String.init) ?? "")]
    body += "<p class=\"pager\">"
    if page > 1 { body += HTMLPage.link("/audit" + HTMLPage.query(filters + [("page", String(page - 1))]), "← newer") }
    if matching.count > page * pageSize { body += HTMLPage.link("/audit" + HTMLPage.query(filters + [("page", String(page + 1))]), "older →") }
    body += "</p>\n" + HTMLPage.downloads(path: "/audit", query: HTMLPage.query(filters + [("page", page == 1 ? "" : String(page))]))
    return .html(HTMLPage.render(title: "Audit log", section: "/audit", body: body))
  }
}
