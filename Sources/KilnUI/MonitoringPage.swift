import Foundation
import KilnReport
import KilnTracking

/// `/monitoring`: the drift and monitor reports of each registered model, as `kiln drift` and
/// `kiln monitor` write them under `reports/MODEL/{drift,monitor}/DATE/`, newest first; each
/// report opens at `/monitoring/MODEL/KIND/DATE/FILE` under the embedded-document policy.
enum MonitoringPage {
  static let kinds = ["drift", "monitor"]

  static func response(_ application: UIApplication) throws -> UIResponse {
    let models = try application.store.registeredModels()
    guard let reports = application.reportsDirectory else {
      return .html(HTMLPage.render(title: "Monitoring", section: "/monitoring", body: "<p class=\"muted\">This server was started without a reports folder.</p>"))
    }
    var body = ""
    for model in models {
      body += "<h2>\(HTMLPage.link("/models/\(HTMLPage.encoded(model.name))", model.name))</h2>\n"
      var rows: [[String]] = []
      for kind in kinds {
        let folder = reports.appendingPathComponent(model.name).appendingPathComponent(kind)
        let dates = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted(by: >)
        for date in dates {
          let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(date).path)) ?? []).sorted()
          rows.append([escapeHTML(kind), escapeHTML(date), files.map { file in
            HTMLPage.link("/monitoring/" + [model.name, kind, date, file].map(HTMLPage.encoded).joined(separator: "/"), file)
          }.joined(separator: " · ")])
        }
      }
      body += rows.isEmpty ? "<p class=\"muted\">No drift or monitor report yet (<code>kiln drift</code>, <code>kiln monitor</code>).</p>\n"
        : HTMLPage.table(header: ["Kind", "Date", "Files"], rows: rows)
    }
    if models.isEmpty { body = "<p class=\"muted\">No registered models.</p>\n" }
    return .html(HTMLPage.render(title: "Monitoring", section: "/monitoring", body: body))
  }

  /// One report file, contained in the reports folder; HTML is shown, anything else downloaded.
  static func report(_ application: UIApplication, _ components: [String]) throws -> UIResponse {
    guard let reports = application.reportsDirectory, components.count == 4, kinds.contains(components[1]) else {
      throw PageError.notFound("No such report.")
    }
    let data = try ArtifactDownload.containedFile(under: reports, components)
    if components[3].hasSuffix(".html") { return UIResponse(contentType: "text/html; charset=utf-8", body: data) }
    let type = components[3].hasSuffix(".json") ? "application/json; charset=utf-8" : "application/octet-stream"
    return UIResponse(contentType: type, headers: ["Content-Disposition": "attachment"], body: data)
  }
}
