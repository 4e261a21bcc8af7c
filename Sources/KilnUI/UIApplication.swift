import Foundation
import KilnOutput
import KilnTracking
import KilnReport

/// The browser UI over one tracking store: every route, behind the request checks of `UISecurity`.
///
/// It has no HTTP library of its own: a server (the `kiln-ui` program) turns each HTTP request
/// into a `UIRequest` and writes back the `UIResponse`. Every page reads the store through its
/// protocols and writes nothing.
///
/// Routes (every page has a stable URL; tables also as `.csv` and `.json`):
/// `/runs`, `/runs/ID`, `/runs/ID/metric?key=K&after_step=STEP`, `/runs/ID/artifacts/NAME`, `/compare?runs=A,B`,
/// `/sweeps`, `/sweeps/ID`, `/models`, `/models/NAME`, `/models/NAME/card/VERSION`, `/audit`,
/// `/monitoring`, `/static/ui.css`, `/static/ui.js`.
public final class UIApplication: Sendable {
  let store: any TrackingStore
  let tracker: Tracker
  let security: UISecurity
  /// Where the store keeps artifact contents (`.kiln/artifacts/`).
  let artifactsDirectory: URL
  /// The project's reports folder (model cards, drift and monitor reports), when there is one.
  let reportsDirectory: URL?

  public init(store: any TrackingStore, artifactsDirectory: URL, reportsDirectory: URL?, security: UISecurity) {
    self.store = store
    self.tracker = Tracker(store: store, artifactsDirectory: artifactsDirectory)
    self.security = security
    self.artifactsDirectory = artifactsDirectory
    self.reportsDirectory = reportsDirectory
  }

  /// The answer to `request`, with the security headers.
  public func respond(to request: UIRequest) -> UIResponse {
    if let refusal = security.refusal(of: request) { return security.secured(refusal) }
    guard let segments = request.pathSegments else {
      return security.secured(.text("refused: the path has '.', '..', an encoded slash or invalid encoding\n", status: 400))
    }
    do {
      let (response, embedded) = try route(segments, request)
      return security.secured(response, embedded: embedded)
    } catch let error as TrackingError where error.code == .invalidFilter || error.code == .invalidSort {
      return security.secured(HTMLPage.badRequest(error.message, hint: error.hint))
    } catch let error as PageError {
      return security.secured(error.response)
    } catch {
      let message = (error as? any KilnError)?.message ?? "\(error)"
      return security.secured(.html(HTMLPage.render(title: "Error", section: "", body: "<p class=\"error\">\(escapeHTML(message))</p>"),
                                    status: 500))
    }
  }

  /// The page for a path; `embedded` marks a document shown inside a frame (a model card).
  func route(_ segments: [String], _ request: UIRequest) throws -> (UIResponse, embedded: Bool) {
    let query = request.query
    switch segments.first {
    case nil: return (.redirect(to: "/runs"), false)
    case "static" where segments.count == 2:
      guard let asset = StaticAssets.asset(named: segments[1]) else { break }
      return (asset, false)
    case "runs", "runs.csv", "runs.json":
      if segments.count == 1 { return (try RunsPage(self, request).response(format: TableFormat(segments[0])), false) }
      let page = try RunPage(self, runID: TableFormat.stripped(segments[1]))
      if segments.count == 2 { return (segments[1].hasSuffix(".json") ? try page.json() : try page.response(query: query), false) }
      if segments.count == 3, segments[2] == "metric" { return (try page.metricPoints(query: query), false) }
      if segments[2] == "artifacts", segments.count > 3 {
        return (try ArtifactDownload.response(self, runID: page.run.id, name: segments[3...].joined(separator: "/")), false)
      }
    case "compare", "compare.csv", "compare.json":
      if segments.count == 1 { return (try ComparePage(self, query: query).response(format: TableFormat(segments[0])), false) }
    case "sweeps":
      if segments.count == 1 { return (try SweepsPage.list(self), false) }
      if segments.count == 2 { return (try SweepsPage.sweep(self, runID: segments[1]), false) }
    case "models", "models.csv", "models.json":
      if segments.count == 1 { return (try ModelsPage.list(self, format: TableFormat(segments[0])), false) }
      if segments.count == 2 { return (try ModelsPage.model(self, name: TableFormat.stripped(segments[1]), format: TableFormat(segments[1]), query: query), false) }
      if segments.count == 4, segments[2] == "card", let version = Int(segments[3]) {
        return (try ModelsPage.card(self, name: segments[1], version: version), true)
      }
    case "audit", "audit.csv", "audit.json":
      if segments.count == 1 { return (try AuditPage.response(self, query: query, format: TableFormat(segments[0])), false) }
    case "monitoring":
      if segments.count == 1 { return (try MonitoringPage.response(self), false) }
      if segments.count == 5 { return (try MonitoringPage.report(self, Array(segments.dropFirst())), true) }
    default: break
    }
    return (HTMLPage.notFound("There is no page at \(request.rawPath)."), false)
  }
}

/// How a table is asked for: the page, or its CSV or JSON download (`/runs.csv`).
enum TableFormat {
  case html, csv, json

  init(_ segment: String) {
    self = segment.hasSuffix(".csv") ? .csv : segment.hasSuffix(".json") ? .json : .html
  }

  /// A segment without its `.csv` or `.json` ending.
  static func stripped(_ segment: String) -> String {
    for suffix in [".csv", ".json"] where segment.hasSuffix(suffix) { return String(segment.dropLast(suffix.count)) }
    return segment
  }
}

/// A page that cannot be shown, with the answer to give instead (not found, bad input).
struct PageError: Error {
  var response: UIResponse

  static func notFound(_ what: String) -> PageError { PageError(response: HTMLPage.notFound(what)) }
  static func badRequest(_ message: String, hint: String? = nil) -> PageError {
    PageError(response: HTMLPage.badRequest(message, hint: hint))
  }
}
