import Foundation
import KilnReport
import KilnRuns
import KilnTracking

/// `/runs/ID`: one run — its identity, parameters, final metrics (with intervals when an
/// evaluation recorded them), curves, artifacts, lineage and evaluation.
struct RunPage {
  let application: UIApplication
  let run: RunRecord

  /// The most points a curve is drawn with; longer series are downsampled with LTTB.
  static let maximumCurvePoints = 2_000
  /// The most curves drawn on the page (the rest are listed with their latest value only).
  static let maximumCurves = 24
  /// How often (milliseconds) a running run's page asks for the steps logged since.
  static let liveInterval = 2_000

  /// - Parameter runID: the full id, or a unique prefix as `kiln runs list` prints it.
  init(_ application: UIApplication, runID: String) throws {
    self.application = application
    if let record = try application.store.run(id: runID) {
      run = record
    } else {
      let matches = runID.count >= 4 ? try application.store.runIDs(withPrefix: runID) : []
      guard matches.count == 1, let record = try application.store.run(id: matches[0]) else {
        throw PageError.notFound("There is no run \(runID)\(matches.count > 1 ? " (the prefix matches several runs)" : "").")
      }
      run = record
    }
  }

  /// The same JSON as `kiln runs show --json`.
  func json() throws -> UIResponse {
    .json(try RunReport(tracker: application.tracker, runID: run.id).json())
  }

  /// `/runs/ID/metric?key=K&after_step=STEP`: the points of one series after a step (a running
  /// run's page fetches only its new steps), downsampled when there are many, with the run's
  /// status (the page stops asking once the run has ended).
  func metricPoints(query: [String: String]) throws -> UIResponse {
    guard let key = query["key"], !key.isEmpty else { throw PageError.badRequest("the metric key is missing", hint: "add ?key=NAME") }
    var after: Int64?
    if let text = query["after_step"], !text.isEmpty {
      guard let step = Int64(text) else {
        throw PageError.badRequest("after_step=\(text) is not a step", hint: "give a whole number, such as after_step=1000")
      }
      after = step
    }
    let (count, points) = try RunPage.drawnSeries(application.store, runID: run.id, key: key, afterStep: after)
    let items: [JSONValue] = points.map { .object(["step": .number($0.x), "value": .number($0.y)]) }
    return .json(RunFormatting.json(.object(["run": .string(run.id), "key": .string(key), "status": .string(run.status.rawValue),
                                             "count": .number(Double(count)), "points": .array(items)]), pretty: false))
  }

  /// A series as a chart draws it: the store's bucket extremes of it (a few thousand samples
  /// however long it is), then LTTB down to `maximumCurvePoints`; and how many points it has.
  static func drawnSeries(_ store: any TrackingStore, runID: String, key: String, afterStep: Int64? = nil,
                          smoothing: Double = 0) throws -> (count: Int, points: [(x: Double, y: Double)]) {
    let series = try store.metricSeries(runID: runID, key: key, afterStep: afterStep, buckets: maximumCurvePoints)
    let points = smoothed(series.samples.map { (x: Double($0.step), y: $0.value) }, weight: smoothing)
    return (series.count, Downsampling.largestTriangleThreeBuckets(points, threshold: maximumCurvePoints))
  }

  func response(query: [String: String]) throws -> UIResponse {
    let store = application.store
    let parameters = try store.parameters(runID: run.id)
    let tags = try store.tags(runID: run.id)
    let latest = try store.latestMetrics(runID: run.id)
    let artifacts = try store.artifacts(runID: run.id)
    let inputs = try store.datasetInputs(runID: run.id)
    let children = try application.tracker.children(of: run.id)
    let versions = try store.modelVersions(runID: run.id)
    let evaluation = try evaluationDocument(artifacts)

    var body = identity(children: children)
    body += "<h2>Parameters</h2>\n" + HTMLPage.table(header: ["Parameter", "Value"],
                                                       rows: parameters.sorted { $0.key < $1.key }.map { [escapeHTML($0.key), escapeHTML($0.value)] })
    if !tags.isEmpty {
      body += "<h2>Tags</h2>\n" + HTMLPage.table(header: ["Tag", "Value"], rows: tags.sorted { $0.key < $1.key }.map { [escapeHTML($0.key), escapeHTML($0.value)] })
    }
    body += "<h2>Metrics</h2>\n" + metricsTable(latest, evaluation: evaluation)
    if let resources = ResourceUsage(metrics: latest.mapValues(\.value)) {
      body += "<h2>Resource use</h2>\n" + HTMLPage.table(header: ["Measure", "Value"],
                                                         rows: resources.reportRows.map { [escapeHTML($0.label), escapeHTML($0.value)] },
                                                         id: "resources")
    }
    body += try curves(latest, query: query)
    body += "<h2>Artifacts</h2>\n"
    body += artifacts.isEmpty ? "<p class=\"muted\">No artifacts.</p>\n" : HTMLPage.table(header: ["Artifact", "Size", "SHA-256"], rows: artifacts.map { artifact in
      [HTMLPage.link("/runs/\(run.id)/artifacts/" + artifact.name.split(separator: "/").map { HTMLPage.encoded(String($0)) }.joined(separator: "/"), artifact.name),
       "\(artifact.size)", "<code>\(escapeHTML(String(artifact.sha256.prefix(16))))</code>"]
    })
    body += "<h2>Lineage</h2>\n" + lineage(inputs: inputs, versions: versions)
    if let evaluation { body += "<h2>Evaluation</h2>\n" + EvaluationSection.html(evaluation) }
    body += "<p class=\"downloads\">Download: <a href=\"/runs/\(run.id).json\">JSON</a></p>\n"
    return .html(HTMLPage.render(title: "Run \(run.name)", section: "/runs", body: body))
  }

  func identity(children: [RunRecord]) -> String {
    var rows: [[String]] = [
      ["ID", "<code>\(escapeHTML(run.id))</code>"],
      ["Experiment", HTMLPage.link("/runs" + HTMLPage.query([("experiment", run.experiment)]), run.experiment)],
      ["Status", escapeHTML(run.status.rawValue) + (run.deletedTime == nil ? "" : " (deleted)")],
      ["Started (UTC)", escapeHTML(RunFormatting.time(run.startTime))],
      ["Ended (UTC)", escapeHTML(RunFormatting.time(run.endTime))],
      ["Duration", escapeHTML(RunFormatting.duration(run))],
      ["Seed", escapeHTML(run.seed.map(String.init) ?? "-")],
      ["Host", escapeHTML("\(run.host) (pid \(run.processID))")],
      ["Commit", escapeHTML(run.sourceVersion.map { $0.commit + ($0.isDirty ? " (dirty)" : "") } ?? "-")],
      ["Configuration", "<code>sha256 \(escapeHTML(String(run.configurationHash.prefix(16))))</code>"],
    ]
    if !run.commandLine.isEmpty { rows.append(["Command", "<code>\(escapeHTML(run.commandLine.joined(separator: " ")))</code>"]) }
    if let parent = run.parentID { rows.append(["Parent", HTMLPage.link("/runs/\(parent)", RunFormatting.shortID(parent))]) }
    if !children.isEmpty {
      rows.append(["Children", children.map { HTMLPage.link("/runs/\($0.id)", "\(RunFormatting.shortID($0.id)) \($0.name)") }.joined(separator: ", ")])
    }
    return HTMLPage.table(header: ["", ""], rows: rows.map { [escapeHTML($0[0]), $0[1]] })
  }

  /// Latest values; a metric the evaluation estimated also shows its interval.
  func metricsTable(_ latest: [String: MetricPoint], evaluation: JSONValue?) -> String {
    var intervals: [String: (Double, Double)] = [:]
    if case .object(let metrics)? = evaluation?["metrics"] {
      for (name, estimate) in metrics {
        if let lower = estimate["interval"]?["lower"]?.numberValue, let upper = estimate["interval"]?["upper"]?.numberValue {
          intervals[name] = (lower, upper)
        }
      }
    }
    var html = "<table id=\"metrics\" data-live=\"/runs/\(run.id)/metric\" data-running=\"\(run.status == .running)\" data-interval=\"\(RunPage.liveInterval)\"><thead><tr><th>Metric</th><th>Step</th><th>Value</th><th>95% interval</th></tr></thead><tbody>\n"
    for (key, point) in latest.sorted(by: { $0.key < $1.key }) {
      let interval = intervals[key].map { "[\(RunFormatting.number($0.0)), \(RunFormatting.number($0.1))]" } ?? ""
      html += "<tr data-key=\"\(escapeHTML(key))\" data-step=\"\(point.step)\"><td>\(escapeHTML(key))</td><td class=\"step\">\(point.step)</td>"
        + "<td class=\"value\">\(escapeHTML(RunFormatting.number(point.value)))</td><td>\(escapeHTML(interval))</td></tr>\n"
    }
    return html + "</tbody></table>\n"
  }

  /// One chart per series with more than one point (SVGChart's line chart), downsampled to at
  /// most 2,000 points; `?scale=log` plots log10 of positive values, `?smooth=0.9` an
  /// exponential moving average (TensorBoard's smoothing).
  func curves(_ latest: [String: MetricPoint], query: [String: String]) throws -> String {
    let logScale = query["scale"] == "log"
    let smoothing = min(max(Double(query["smooth"] ?? "") ?? 0, 0), 0.99)
    let keys = latest.keys.sorted().filter { (latest[$0]?.step ?? 0) > 0 }
    guard !keys.isEmpty else { return "" }
    var html = "<h2>Curves</h2>\n<p class=\"muted\">Scale: " + HTMLPage.link("/runs/\(run.id)" + HTMLPage.query([("smooth", query["smooth"] ?? "")]), "linear")
      + " · " + HTMLPage.link("/runs/\(run.id)" + HTMLPage.query([("scale", "log"), ("smooth", query["smooth"] ?? "")]), "log")
      + ". Smoothing: " + ["0", "0.6", "0.9", "0.99"].map { value in
        HTMLPage.link("/runs/\(run.id)" + HTMLPage.query([("scale", logScale ? "log" : ""), ("smooth", value == "0" ? "" : value)]), value)
      }.joined(separator: " · ") + "</p>\n"
    for key in keys.prefix(RunPage.maximumCurves) {
      var (count, sampled) = try RunPage.drawnSeries(application.store, runID: run.id, key: key, smoothing: smoothing)
      guard count > 1 else { continue }
      if logScale { sampled = sampled.filter { $0.y > 0 }.map { (x: $0.x, y: log10($0.y)) } }
      let svg = SVGChart.lines([SVGChart.Series(name: "", points: sampled)], title: key, xLabel: "step",
                               yLabel: logScale ? "log10(value)" : "value")
      let data = "[" + sampled.map { "[\(Int64($0.x)),\(RunFormatting.number(logScale ? pow(10, $0.y) : $0.y))]" }.joined(separator: ",") + "]"
      // A running run's page extends the curve with the steps logged after `data-last-step`.
      let last = latest[key].map { String($0.step) } ?? ""
      html += "<figure data-key=\"\(escapeHTML(key))\" data-points=\"\(escapeHTML(data))\" data-count=\"\(count)\" data-last-step=\"\(last)\""
        + " data-scale=\"\(logScale ? "log" : "linear")\" data-smooth=\"\(smoothing)\">\(svg)<figcaption class=\"muted\">"
        + "<span class=\"count\">\(count)</span> points\(count > sampled.count ? ", drawn with \(sampled.count)" : "")</figcaption></figure>\n"
    }
    return html
  }

  /// Exponential moving average, debiased as TensorBoard does: s_t = w·s_{t−1} + (1−w)·y_t, divided by 1 − w^t.
  static func smoothed(_ points: [(x: Double, y: Double)], weight: Double) -> [(x: Double, y: Double)] {
    guard weight > 0 else { return points }
    var average = 0.0, debias = 1.0
    return points.map { point in
      guard point.y.isFinite else { return point }
      average = weight * average + (1 - weight) * point.y
      debias *= weight
      return (x: point.x, y: average / (1 - debias))
    }
  }

  func lineage(inputs: [DatasetReference], versions: [ModelVersionRecord]) -> String {
    let datasets = inputs.map { input in
      "\(escapeHTML(input.name)) \(escapeHTML(input.version))\(input.split.isEmpty ? "" : " (\(escapeHTML(input.split)))") <code>\(escapeHTML(String(input.fingerprint.prefix(12))))</code>"
    }
    let models = versions.map { HTMLPage.link("/models/\(HTMLPage.encoded($0.modelName))", "\($0.modelName) v\($0.version) (\($0.stage.rawValue))") }
    return "<p>" + (datasets.isEmpty ? "<span class=\"muted\">no dataset recorded</span>" : datasets.joined(separator: ", "))
      + " → <b>this run</b> → " + (models.isEmpty ? "<span class=\"muted\">no model version</span>" : models.joined(separator: ", ")) + "</p>\n"
  }

  /// The run's test-split evaluation (`evaluation.json`), when it logged one.
  func evaluationDocument(_ artifacts: [ArtifactRecord]) throws -> JSONValue? {
    guard let artifact = artifacts.last(where: { $0.name == "evaluation.json" }) else { return nil }
    do {
      let data = try ArtifactDownload.response(application, runID: run.id, name: artifact.name).body
      return try JSONValue.parse(String(decoding: data, as: UTF8.self))
    } catch {
      return nil
    }
  }
}
