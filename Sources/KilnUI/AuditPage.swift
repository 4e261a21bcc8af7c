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
    // The store filters and pages; the page reads only the events it shows.
    let store = application.store
    var selection = AuditEventQuery(kind: kind.isEmpty ? nil : AuditEventKind(kind), runIDPrefix: run.isEmpty ? nil : run,
                                    model: model.isEmpty ? nil : model, text: text.isEmpty ? nil : text, sequence: sequence, newestFirst: true)
    let matchingCount = try store.auditEventCount(matching: selection)
    selection.limit = pageSize
    selection.offset = (page - 1) * pageSize
    // A payload that merely contains `"model":NAME` deeper down is not the model's event.
    let shown = try store.auditEvents(matching: selection).filter { model.isEmpty || $0.payloadValue["model"]?.stringValue == model }
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
    let kinds = try store.auditEventKinds().map(\.rawValue)
    body += "<form class=\"filter\" method=\"get\" action=\"/audit\"><select name=\"kind\">"
      + ([""] + kinds).map { "<option value=\"\(escapeHTML($0))\"\($0 == kind ? " selected" : "")>\($0.isEmpty ? "all kinds" : escapeHTML($0))</option>" }.joined()
      + "</select> <input type=\"text\" name=\"run\" value=\"\(escapeHTML(run))\" placeholder=\"run id\" size=\"12\">"
      + " <input type=\"text\" name=\"model\" value=\"\(escapeHTML(model))\" placeholder=\"model\" size=\"12\">"
      + " <input type=\"text\" name=\"q\" value=\"\(escapeHTML(text))\" placeholder=\"text in payload\" size=\"20\"> <button type=\"submit\">Filter</button></form>\n"
    body += "<p class=\"muted\">\(matchingCount) matching events; showing \(shown.count), newest first.</p>\n"
    body += HTMLPage.table(header: ["#", "Time (UTC)", "Kind", "Run", "Payload"], rows: shown.map { event in
      [String(event.sequence), escapeHTML(RunFormatting.time(event.timestamp)), escapeHTML(event.kind.rawValue),
       event.runID.map { HTMLPage.link("/runs/\($0)", RunFormatting.shortID($0)) } ?? "-", "<code>\(escapeHTML(event.payload))</code>"]
    }, id: "events")
    let filters = [("kind", kind), ("run", run), ("model", model), ("q", text), ("sequence", sequence.map(String.init) ?? "")]
    body += "<p class=\"pager\">"
    if page > 1 { body += HTMLPage.link("/audit" + HTMLPage.query(filters + [("page", String(page - 1))]), "← newer") }
    if matchingCount > page * pageSize { body += HTMLPage.link("/audit" + HTMLPage.query(filters + [("page", String(page + 1))]), "older →") }
    body += "</p>\n" + HTMLPage.downloads(path: "/audit", query: HTMLPage.query(filters + [("page", page == 1 ? "" : String(page))]))
    return .html(HTMLPage.render(title: "Audit log", section: "/audit", body: body))
  }
}
