import Foundation
import KilnReport
import KilnRuns

/// The page frame and the small HTML pieces every page is built from. Every text that comes from
/// the store passes through `escapeHTML` (KilnReport's, the one the model cards use) here or at
/// the call site; markup is never built from unescaped data.
enum HTMLPage {
  static let sections: [(path: String, title: String)] = [
    ("/runs", "Runs"), ("/compare", "Compare"), ("/sweeps", "Sweeps"), ("/models", "Models"),
    ("/audit", "Audit"), ("/monitoring", "Monitoring"),
  ]

  /// A whole page: the navigation, `title` and `body` (already HTML).
  static func render(title: String, section: String, body: String) -> String {
    let navigation = sections.map { item in
      "<a href=\"\(item.path)\"\(item.path == section ? " class=\"current\"" : "")>\(item.title)</a>"
    }.joined(separator: " ")
    return """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(escapeHTML(title)) · Kiln</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/static/ui.css">
    <script src="/static/ui.js" defer></script>
    </head>
    <body>
    <header><span class="brand">Kiln</span> <nav>\(navigation)</nav></header>
    <main>
    <h1>\(escapeHTML(title))</h1>
    \(body)
    </main>
    </body>
    </html>
    """
  }

  /// A table; `cells` are already HTML (escape text with `escapeHTML`).
  static func table(header: [String], rows: [[String]], id: String? = nil) -> String {
    var html = "<table\(id.map { " id=\"\(escapeHTML($0))\"" } ?? "")><thead><tr>"
    html += header.map { "<th>\($0)</th>" }.joined()
    html += "</tr></thead><tbody>\n"
    for row in rows { html += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
    return html + "</tbody></table>\n"
  }

  /// A link whose visible text is escaped.
  static func link(_ href: String, _ text: String) -> String {
    "<a href=\"\(escapeHTML(href))\">\(escapeHTML(text))</a>"
  }

  /// `value` percent-encoded for one path segment or query value.
  static func encoded(_ value: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }

  /// A query string from pairs, empty values left out.
  static func query(_ pairs: [(String, String)]) -> String {
    let kept = pairs.filter { !$0.1.isEmpty }
    return kept.isEmpty ? "" : "?" + kept.map { "\(encoded($0.0))=\(encoded($0.1))" }.joined(separator: "&")
  }

  /// Download links for a table: the same query as CSV and as JSON.
  static func downloads(path: String, query: String) -> String {
    "<p class=\"downloads\">Download: <a href=\"\(escapeHTML(path)).csv\(escapeHTML(query))\">CSV</a> · <a href=\"\(escapeHTML(path)).json\(escapeHTML(query))\">JSON</a></p>\n"
  }

  static func notFound(_ what: String) -> UIResponse {
    .html(render(title: "Not found", section: "", body: "<p>\(escapeHTML(what))</p>"), status: 404)
  }

  static func badRequest(_ message: String, hint: String? = nil) -> UIResponse {
    .html(render(title: "Bad request", section: "", body: "<p class=\"error\">\(escapeHTML(message))</p>" + (hint.map { "<p>\(escapeHTML($0))</p>" } ?? "")),
          status: 400)
  }
}

/// RFC 4180 CSV text, quoted as `kiln runs export --format csv` quotes it.
enum CSVText {
  static func render(header: [String], rows: [[String]]) -> String {
    ([header] + rows).map { $0.map(RunExport.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}
