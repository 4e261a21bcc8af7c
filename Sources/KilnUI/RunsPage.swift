import Foundation
import KilnReport
import KilnRuns
import KilnTracking

/// `/runs`: the runs of the store in pages, filtered with the `--where` language, sorted by any
/// field, with the columns the user picks. The store filters, sorts and pages: a page reads only
/// its own runs (and one more, to know whether a next page exists), however many there are.
struct RunsPage {
  let application: UIApplication
  let experiment: String
  let filterText: String
  let sortText: String
  let columns: [RunField]
  let columnsText: String
  let page: Int
  let size: Int
  let query: RunQuery

  static let defaultSize = 50, maximumSize = 500

  init(_ application: UIApplication, _ request: UIRequest) throws {
    self.application = application
    let parameters = request.query
    experiment = parameters["experiment"] ?? ""
    filterText = parameters["where"] ?? ""
    sortText = parameters["sort"] ?? ""
    page = max(1, Int(parameters["page"] ?? "") ?? 1)
    size = min(max(Int(parameters["size"] ?? "") ?? RunsPage.defaultSize, 1), RunsPage.maximumSize)
    let chosen = (parameters["columns"].map { [$0] } ?? []) + request.queryValues("col")
    let names = chosen.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    var fields: [RunField] = []
    for name in names {
      let field = try RunFilter.parseSort(name).field
      if !fields.contains(field) { fields.append(field) }
    }
    columns = fields
    columnsText = fields.map(\.filterText).joined(separator: ",")
    var query = RunQuery(experiment: experiment.isEmpty ? nil : experiment)
    if !filterText.isEmpty { query.filter = try RunFilter.parse(filterText) }
    if !sortText.isEmpty { query.sort = try sortText.split(separator: ",").map { try RunFilter.parseSort(String($0)) } }
    query.limit = size
    query.offset = (page - 1) * size
    self.query = query
  }

  /// The query string of this page with some parameters changed.
  func link(page: Int? = nil, sort: String? = nil) -> String {
    "/runs" + HTMLPage.query([("experiment", experiment), ("where", filterText), ("sort", sort ?? sortText),
                              ("columns", columnsText), ("page", (page ?? self.page) == 1 ? "" : String(page ?? self.page)),
                              ("size", size == RunsPage.defaultSize ? "" : String(size))])
  }

  func response(format: TableFormat) throws -> UIResponse {
    switch format {
    case .json:
      // The same JSON as `kiln runs list --json` (identity and every latest metric), for this page.
      return .json(try RunListing(tracker: application.tracker, query: query, allMetrics: true).json())
    case .csv:
      // The same CSV as `kiln runs export --format csv`, for this page.
      return .csv(try RunExport.csv(try application.tracker.runs(query), tracker: application.tracker), filename: "runs.csv")
    case .html:
      return .html(try html())
    }
  }

  func html() throws -> String {
    let store = application.store
    var pageQuery = query
    pageQuery.limit = size + 1
    var runs = try store.runs(matching: pageQuery)
    let hasNext = runs.count > size
    if hasNext { runs.removeLast() }
    let metrics = try store.latestMetrics(runIDs: runs.map(\.id), keys: nil)
    let parametersByRun = try store.parameters(runIDs: runs.map(\.id))
    let inputsByRun = try store.datasetInputs(runIDs: runs.map(\.id))
    let parameters = runs.map { parametersByRun[$0.id] ?? [:] }
    let inputs = runs.map { inputsByRun[$0.id] ?? [] }
    var shown = columns
    if shown.isEmpty {
      shown = query.referencedMetricKeys.map(RunField.metric)
      if shown.isEmpty, let first = runs.first {
        shown = (metrics[first.id] ?? [:]).keys.sorted().prefix(4).map(RunField.metric)
      }
    }
    let fixed: [(String, RunField?)] = [("ID", .attribute(.id)), ("Experiment", .attribute(.experiment)), ("Name", .attribute(.name)),
                                        ("Status", .attribute(.status)), ("Started (UTC)", .attribute(.startTime)), ("Duration", nil),
                                        ("Dataset", nil), ("Commit", nil)]
    let header = (fixed + shown.map { ($0.description, Optional($0)) }).map { title, field -> String in
      guard let field else { return escapeHTML(title) }
      let current = query.sort.first.flatMap { $0.field == field ? $0 : nil }
      let descending = current.map { !$0.descending } ?? false
      let arrow = current.map { $0.descending ? " ▼" : " ▲" } ?? ""
      return HTMLPage.link(link(page: 1, sort: (descending ? "-" : "") + field.filterText), title) + arrow
    }
    var rows: [[String]] = []
    for (index, run) in runs.enumerated() {
      let fingerprint = inputs[index].first.map { String($0.fingerprint.prefix(12)) } ?? "-"
      var row = [HTMLPage.link("/runs/\(run.id)", RunFormatting.shortID(run.id)), escapeHTML(run.experiment), escapeHTML(run.name),
                 escapeHTML(run.status.rawValue), escapeHTML(RunFormatting.time(run.startTime)), escapeHTML(RunFormatting.duration(run)),
                 "<code>\(escapeHTML(fingerprint))</code>",
                 "<code>\(escapeHTML(run.sourceVersion.map { String($0.commit.prefix(8)) + ($0.isDirty ? "+" : "") } ?? "-"))</code>"]
      for field in shown {
        switch field {
        case .metric(let key): row.append(escapeHTML(RunFormatting.number(metrics[run.id]?[key])))
        case .parameter(let key): row.append(escapeHTML(parameters[index][key] ?? "-"))
        case .tag, .attribute: row.append(escapeHTML(try value(of: field, run)))
        }
      }
      rows.append(row)
    }
    let parameterKeys = Set(parameters.flatMap(\.keys)).sorted().map(RunField.parameter)
    let metricKeys = Set(metrics.values.flatMap(\.keys)).sorted().map(RunField.metric)
    var body = filterForm(try store.experiments().map(\.name))
    body += columnChooser(available: parameterKeys + metricKeys, shown: shown)
    body += "<p class=\"muted\">Runs \(query.offset + (runs.isEmpty ? 0 : 1))–\(query.offset + runs.count), page \(page). Sorted by \(escapeHTML(query.sort.map { ($0.descending ? "-" : "") + $0.field.description }.joined(separator: ", "))).</p>\n"
    body += HTMLPage.table(header: header, rows: rows, id: "runs")
    body += "<p class=\"pager\">"
    if page > 1 { body += HTMLPage.link(link(page: page - 1), "← previous") }
    if hasNext { body += HTMLPage.link(link(page: page + 1), "next →") }
    body += "</p>\n"
    body += HTMLPage.downloads(path: "/runs", query: String(link().dropFirst("/runs".count)))
    if runs.count >= 2 {
      body += "<p>" + HTMLPage.link("/compare" + HTMLPage.query([("runs", runs.prefix(10).map(\.id).joined(separator: ","))]), "Compare the first \(min(runs.count, 10)) runs of this page") + "</p>\n"
    }
    return HTMLPage.render(title: "Runs", section: "/runs", body: body)
  }

  func value(of field: RunField, _ run: RunRecord) throws -> String {
    switch field {
    case .tag(let key): return try application.store.tags(runID: run.id)[key] ?? "-"
    case .attribute(let attribute):
      switch attribute {
      case .id: return run.id
      case .name: return run.name
      case .experiment: return run.experiment
      case .status: return run.status.rawValue
      case .startTime: return RunFormatting.time(run.startTime)
      case .endTime: return RunFormatting.time(run.endTime)
      case .seed: return run.seed.map(String.init) ?? "-"
      case .parent: return run.parentID ?? "-"
      }
    case .metric, .parameter: return "-"
    }
  }

  func filterForm(_ experiments: [String]) -> String {
    let options = ([""] + experiments).map { name in
      "<option value=\"\(escapeHTML(name))\"\(name == experiment ? " selected" : "")>\(name.isEmpty ? "all experiments" : escapeHTML(name))</option>"
    }.joined()
    return """
    <form class="filter" method="get" action="/runs">
    <select name="experiment">\(options)</select>
    <input type="text" name="where" value="\(escapeHTML(filterText))" placeholder="metrics.test.accuracy &gt; 0.85 and params.training.batch_size = 256">
    <input type="text" name="sort" value="\(escapeHTML(sortText))" placeholder="-metrics.test.accuracy" size="24">
    <input type="hidden" name="columns" value="\(escapeHTML(columnsText))">
    <button type="submit">Filter</button>
    </form>

    """
  }

  func columnChooser(available: [RunField], shown: [RunField]) -> String {
    let fields = shown + available.filter { !shown.contains($0) }
    var html = "<details class=\"columns\"><summary>Columns</summary><form method=\"get\" action=\"/runs\">"
    for (name, value) in [("experiment", experiment), ("where", filterText), ("sort", sortText)] where !value.isEmpty {
      html += "<input type=\"hidden\" name=\"\(name)\" value=\"\(escapeHTML(value))\">"
    }
    for field in fields {
      html += "<label><input type=\"checkbox\" name=\"col\" value=\"\(escapeHTML(field.filterText))\"\(shown.contains(field) ? " checked" : "")> \(escapeHTML(field.description))</label>"
    }
    return html + " <button type=\"submit\">Show</button></form></details>\n"
  }
}

extension RunField {
  /// The field as the filter language writes it, the key in backquotes when it has characters
  /// outside letters, digits and `_ . - /` (so it parses back to the same field).
  var filterText: String {
    func quoted(_ prefix: String, _ key: String) -> String {
      let plain = key.allSatisfy { $0.isLetter || $0.isNumber || "_.-/".contains($0) } && !key.contains("`")
      return plain ? prefix + key : prefix + "`" + key + "`"
    }
    switch self {
    case .metric(let key): return quoted("metrics.", key)
    case .parameter(let key): return quoted("params.", key)
    case .tag(let key): return quoted("tags.", key)
    case .attribute(let attribute): return attribute.rawValue
    }
  }
}
