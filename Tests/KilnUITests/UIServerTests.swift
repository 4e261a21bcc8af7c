import Foundation
import Testing
@testable import KilnUI
import KilnTracking

/// Every route over real HTTP, against the `kiln-ui` program serving a fixture store.
@Suite struct UIServerTests {
  static func withServer(_ extra: [String] = [], _ body: (UIServerProcess, UIStoreFixture) throws -> Void) throws {
    let fixture = try UIStoreFixture()
    defer { fixture.remove() }
    let server = try UIServerProcess(arguments: ["--store", fixture.storeDirectory.path, "--reports", fixture.reportsDirectory.path] + extra)
    defer { _ = server.stop() }
    try body(server, fixture)
  }

  @Test func everyRouteAnswersWithTheStrictPolicy() throws {
    try Self.withServer { server, fixture in
      let (first, second) = (fixture.runIDs[0], fixture.runIDs[1])
      let routes: [(String, String)] = [
        ("/runs", "text/html"), ("/runs.csv", "text/csv"), ("/runs.json", "application/json"),
        ("/runs?experiment=adult&where=metrics.test.accuracy%20%3E%200.5&sort=-metrics.test.accuracy&columns=params.training.batch_size", "text/html"),
        ("/runs/\(first)", "text/html"), ("/runs/\(first.prefix(8))", "text/html"), ("/runs/\(first).json", "application/json"),
        ("/runs/\(first)?scale=log&smooth=0.9", "text/html"),
        ("/runs/\(first)/metric?key=train.loss&after_step=4990", "application/json"),
        ("/runs/\(first)/artifacts/model/checkpoint.h5", "application/octet-stream"),
        ("/compare?runs=\(first),\(second)", "text/html"), ("/compare.csv?runs=\(first),\(second)", "text/csv"),
        ("/compare.json?runs=\(first),\(second)", "application/json"), ("/compare", "text/html"),
        ("/sweeps", "text/html"), ("/models", "text/html"), ("/models.json", "application/json"), ("/models.csv", "text/csv"),
        ("/models/income", "text/html"), ("/models/income.json", "application/json"), ("/models/income.csv", "text/csv"),
        ("/models/income/card/2", "text/html"), ("/audit", "text/html"), ("/audit.csv", "text/csv"), ("/audit.json", "application/json"),
        ("/audit?kind=model.stage_changed", "text/html"), ("/monitoring", "text/html"),
        ("/monitoring/income/drift/2026-06-01T000000Z/drift-report.html", "text/html"),
        ("/static/ui.css", "text/css"), ("/static/ui.js", "text/javascript"),
      ]
      for (route, type) in routes {
        let response = try server.get(route)
        #expect(response.status == 200, "\(route): \(response.status) \(response.body.prefix(300))")
        #expect(response.headers["content-type"]?.hasPrefix(type) == true, "\(route): \(response.headers["content-type"] ?? "none")")
        let policy = response.headers["content-security-policy"] ?? ""
        #expect(policy.contains("default-src 'none'"), "\(route): \(policy)")
        #expect(!policy.contains("http"), "\(route) allows an outside origin: \(policy)")
        #expect(response.headers["x-content-type-options"] == "nosniff", "\(route)")
        if type == "text/html" {
          // Nothing from elsewhere, and no inline script (the policy would block it anyway).
          let outside = response.body.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
          #expect(!outside.contains("http://") && !outside.contains("https://"), "\(route) refers to another site")
          #expect(!response.body.contains("<script>"), "\(route) has an inline script")
        }
      }
      let root = try server.get("/")
      #expect(root.status == 303 && root.headers["location"] == "/runs")
      #expect(try server.get("/nothing-here").status == 404)
      #expect(try server.get("/runs/ffffffffffffffffffffffffffffffff").status == 404)
      #expect(try server.get("/models/unknown").status == 404)
      #expect(try server.get("/compare?runs=\(first)").status == 400)
      #expect(try server.get("/runs", method: "HEAD").status == 200)
    }
  }

  @Test func hostileNamesRenderAsText() throws {
    try Self.withServer { server, fixture in
      let ids = fixture.runIDs
      for route in ["/runs", "/runs?columns=tags.owner,params.%60note-%3Cscript%3Edocument.title%3D'pwned'%3C%2Fscript%3E%60",
                    "/runs/\(ids[0])", "/runs/\(ids[1])", "/runs/\(ids[2])", "/compare?runs=\(ids.joined(separator: ","))",
                    "/audit", "/models/income", "/runs?where=name%20%3D%20'%3Cscript%3E'"] {
        let response = try server.get(route)
        #expect(response.status == 200, "\(route): \(response.status) \(response.body.prefix(400))")
        #expect(!response.body.contains("<script>document"), "\(route) shows a user's <script> as markup")
        #expect(response.body.contains("&lt;script&gt;"), "\(route) does not show the hostile text at all")
      }
    }
  }

  @Test func pathsOutsideTheirFolderAreRefused() throws {
    try Self.withServer { server, fixture in
      let id = fixture.runIDs[0]
      let refused = [
        "/runs/\(id)/artifacts/../../../secret.txt", "/runs/\(id)/artifacts/%2e%2e/%2e%2e/secret.txt",
        "/runs/\(id)/artifacts/model%2Fcheckpoint.h5", "/runs/\(id)/artifacts/model%5Ccheckpoint.h5",
        "/models/income/card/..%2F..%2Fsecret.txt", "/static/..%2F..%2Fsecret.txt", "/monitoring/income/drift/%00/x",
      ]
      for route in refused {
        let response = try server.get(route)
        #expect(response.status == 400, "\(route): \(response.status)")
        #expect(!response.body.contains("secret"), "\(route) leaked the file")
      }
      // A symbolic link inside the reports folder that points outside it.
      let linked = try server.get("/monitoring/income/drift/2026-06-01T000000Z/linked.html")
      #expect(linked.status == 403, "symlink: \(linked.status)")
      #expect(!linked.body.contains("secret"))
      // Unknown artifact names and reports are not found, not guessed.
      #expect(try server.get("/runs/\(id)/artifacts/model/other.h5").status == 404)
      #expect(try server.get("/models/income/card/1").status == 404)
    }
  }

  @Test func otherHostsAndWritesAreRefused() throws {
    try Self.withServer { server, _ in
      #expect(try server.get("/runs", host: "attacker.example:\(server.port)").status == 421)
      #expect(try server.get("/runs", host: "127.0.0.1:1").status == 421)
      #expect(try server.get("/runs", host: "localhost:\(server.port)").status == 200)
      let post = try server.get("/runs", method: "POST")
      #expect(post.status == 405)
      #expect(post.headers["allow"] == "GET, HEAD")
    }
  }

  @Test func aTokenIsCheckedOnEveryRequest() throws {
    let token = "0123456789abcdef-token"
    try Self.withServer(["--token", token]) { server, _ in
      #expect(try server.get("/runs").status == 401)
      #expect(try server.get("/runs", extraHeaders: ["Authorization": "Bearer wrong-token-0123456789"]).status == 401)
      #expect(try server.get("/runs", extraHeaders: ["Authorization": "Bearer \(token)"]).status == 200)
      let opened = try server.get("/runs?token=\(token)")
      #expect(opened.status == 303)
      #expect(opened.headers["location"] == "/runs")
      let cookie = try #require(opened.headers["set-cookie"])
      #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
      let cookieValue = String(cookie.split(separator: ";")[0])
      #expect(try server.get("/models", extraHeaders: ["Cookie": cookieValue]).status == 200)
    }
  }

  /// Runs `kiln-ui` with `arguments` to its end (it is expected to refuse to start).
  static func failedStart(_ arguments: [String]) throws -> (status: Int32, errors: String) {
    let process = Process()
    process.executableURL = UIServerProcess.executable()
    process.arguments = arguments + ["--port", "0"]
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  @Test func aNonLoopbackAddressWithoutATokenDoesNotStart() throws {
    let fixture = try UIStoreFixture()
    defer { fixture.remove() }
    let (status, text) = try Self.failedStart(["--store", fixture.storeDirectory.path, "--host", "0.0.0.0"])
    #expect(status == 1)
    #expect(text.contains("no token was given") && text.contains("hint: pass --token"), "\(text)")
    let short = try Self.failedStart(["--store", fixture.storeDirectory.path, "--token", "short"])
    #expect(short.status == 1 && short.errors.contains("it needs at least 16"), "\(short.errors)")
  }

  @Test func aMissingStoreIsAClearError() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-store-\(UUID().uuidString)")
    let (status, text) = try Self.failedStart(["--store", missing.path])
    #expect(status == 1)
    #expect(text.contains("there is no tracking store at") && !FileManager.default.fileExists(atPath: missing.path), "\(text)")
  }

  @Test func runsAreFilteredSortedAndPagedByTheStore() throws {
    try Self.withServer { server, fixture in
      let filtered = try server.get("/runs?where=metrics.test.accuracy%20%3E%200.805")
      #expect(filtered.body.contains(String(fixture.runIDs[1].prefix(8))) && filtered.body.contains(String(fixture.runIDs[2].prefix(8))))
      #expect(!filtered.body.contains(String(fixture.runIDs[0].prefix(8))))
      let bad = try server.get("/runs?where=metrics.test.accuracy%20%3E%3E%201")
      #expect(bad.status == 400 && bad.body.contains("column"), "\(bad.body)")
      // Sorted by accuracy, one run a page: page 2 holds the middle run only, with links both ways.
      let page = try server.get("/runs?sort=-metrics.test.accuracy&size=1&page=2")
      #expect(page.body.contains(String(fixture.runIDs[1].prefix(8))))
      #expect(!page.body.contains(String(fixture.runIDs[0].prefix(8))) && !page.body.contains(String(fixture.runIDs[2].prefix(8))))
      #expect(page.body.contains("previous") && page.body.contains("next"))
      let json = try server.get("/runs.json?sort=-metrics.test.accuracy&size=1&page=2")
      let runs = try #require(try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [[String: Any]])
      #expect(runs.count == 1 && runs[0]["id"] as? String == fixture.runIDs[1])
      let csv = try server.get("/runs.csv?size=2")
      #expect(csv.body.hasPrefix("id,experiment,name,status") && csv.body.split(separator: "\n").count == 3)
    }
  }

  @Test func curvesAreDownsampledAndNewStepsFetchedAlone() throws {
    try Self.withServer { server, fixture in
      let all = try server.get("/runs/\(fixture.runIDs[0])/metric?key=train.loss")
      let document = try #require(try JSONSerialization.jsonObject(with: Data(all.body.utf8)) as? [String: Any])
      let points = try #require(document["points"] as? [[String: Double]])
      #expect(points.count == RunPage.maximumCurvePoints)
      #expect(points.first?["step"] == 1 && points.last?["step"] == 5_000)
      let newer = try server.get("/runs/\(fixture.runIDs[0])/metric?key=train.loss&after_step=4990")
      let tail = try #require((try JSONSerialization.jsonObject(with: Data(newer.body.utf8)) as? [String: Any])?["points"] as? [Any])
      #expect(tail.count == 10)
      let page = try server.get("/runs/\(fixture.runIDs[0])")
      #expect(page.body.contains("5000</span> points, drawn with 2000"))
      #expect(try server.get("/runs/\(fixture.runIDs[0])/metric?key=train.loss&after_step=ten").status == 400)
    }
  }

  @Test func aPointLoggedWhileTheServerRunsIsTheOnlyNewStep() throws {
    try Self.withServer { server, fixture in
      let running = fixture.runIDs[2]
      func newSteps() throws -> [Double] {
        let response = try server.get("/runs/\(running)/metric?key=train.loss&after_step=5000")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
        #expect(document["status"] as? String == "running")
        return try #require(document["points"] as? [[String: Double]]).compactMap { $0["step"] }
      }
      #expect(try newSteps() == [])
      let page = try server.get("/runs/\(running)")
      #expect(page.body.contains("data-key=\"train.loss\"") && page.body.contains("data-last-step=\"5000\""))
      #expect(page.body.contains("data-running=\"true\""))
      // Written by another process's store while the server holds its read-only one.
      let writer = try SQLiteTrackingStore(databaseFile: fixture.storeDirectory.appendingPathComponent("kiln.sqlite"))
      try writer.appendMetrics([MetricPoint(key: "train.loss", step: 5_001, value: 0.5, timestamp: Date())], runID: running, generation: nil)
      #expect(try newSteps() == [5_001])
    }
  }

  @Test func theStageHistoryAnswersWhatWasInProductionOnADay() throws {
    try Self.withServer { server, _ in
      // v1 entered production one day after the fixture's start, v2 three days after.
      func production(on day: String) throws -> String {
        let body = try server.get("/models/income?on=\(day)").body
        guard let range = body.range(of: "<p id=\"production-on\">") else { return "" }
        return String(body[range.upperBound...].prefix { $0 != "\n" })
      }
      let start = UIStoreFixture.start
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withFullDate]
      let before = try production(on: formatter.string(from: start))
      let first = try production(on: formatter.string(from: start.addingTimeInterval(86_400 * 2)))
      let second = try production(on: formatter.string(from: start.addingTimeInterval(86_400 * 4)))
      let invalid = try server.get("/models/income?on=not-a-date").body
      #expect(before.contains("no version"), "\(before)")
      #expect(first.contains("<b>v1</b>"), "\(first)")
      #expect(second.contains("<b>v2</b>") && !second.contains("v1"), "\(second)")
      #expect(invalid.contains("is not a date"))
    }
  }

  @Test func aSweepShowsItsHistoryCoordinatesAndTrials() throws {
    try Self.withServer { server, fixture in
      let list = try server.get("/sweeps")
      #expect(list.body.contains("/sweeps/\(fixture.sweepID)"), "\(list.body.prefix(2000))")
      let page = try server.get("/sweeps/\(fixture.sweepID)")
      #expect(page.status == 200, "\(page.body.prefix(500))")
      for part in ["Optimisation history", "Parallel coordinates", "Intermediate values", "worker-0", "worker-1", "<td>pruned</td>", "learning_rate",
                   "<div id=\"slices\"><figure><svg", "Slice: learning_rate"] {
        #expect(page.body.contains(part), "the sweep page lacks \(part)")
      }
      #expect(page.body.components(separatedBy: "<tr>").count - 1 >= 4 + 1, "a row per trial")
      #expect(try server.get("/sweeps/\(fixture.runIDs[0])").status == 404)
      // One point per complete trial on the slice: the three complete trials, not the pruned one.
      let slice = try #require(page.body.components(separatedBy: "<div id=\"slices\">").last?.components(separatedBy: "</div>").first)
      #expect(slice.components(separatedBy: "<circle").count - 1 == 3)
      #expect(!page.body.contains("Pareto front"), "a sweep of one objective has no Pareto front")
    }
  }

  @Test func aSweepOfTwoObjectivesShowsItsParetoFront() throws {
    try Self.withServer { server, fixture in
      let page = try server.get("/sweeps/\(fixture.paretoSweepID)")
      #expect(page.status == 200, "\(page.body.prefix(500))")
      #expect(page.body.contains("Pareto front (3 of 4 complete trials)"), "\(page.body.prefix(3000))")
      #expect(page.body.contains("On the front: trial 0, trial 1, trial 3."))
      #expect(page.body.contains("Slice: learning_rate"))
    }
  }

  @Test func ctrlCStopsTheServerCleanly() throws {
    let fixture = try UIStoreFixture()
    defer { fixture.remove() }
    let server = try UIServerProcess(arguments: ["--store", fixture.storeDirectory.path])
    #expect(try server.get("/runs").status == 200)
    let (status, output) = server.stop()
    #expect(status == 0)
    #expect(output.contains("stopped"), "\(output)")
  }

  @Test func theStoreIsOpenedReadOnly() throws {
    let fixture = try UIStoreFixture()
    defer { fixture.remove() }
    let settings = try UIServerSettings(host: "127.0.0.1", port: 8080, token: nil, tokenFile: nil, store: fixture.storeDirectory.path, reports: nil)
    let application = try settings.application(boundPort: 8080)
    #expect(application.store.isReadOnly)
    #expect(throws: TrackingError.self) { try application.store.setTag(runID: fixture.runIDs[0], key: "x", value: "y") }
  }
}

/// The pages in real headless Chromium, driven through chromedriver by Selenium
/// (`Browser/check_pages.py`; Debian's chromium, chromium-driver and python3-selenium).
@Suite struct UIBrowserTests {
  @Test func everyPageLoadsCleanlyInChromium() throws {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Browser/check_pages.py")
    try UIServerTests.withServer { server, fixture in
      let shots = fixture.directory.appendingPathComponent("screenshots")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
      process.arguments = [script.path, "http://127.0.0.1:\(server.port)", fixture.runIDs[0], fixture.runIDs[1], fixture.sweepID, shots.path,
                           fixture.runIDs[2], fixture.storeDirectory.appendingPathComponent("kiln.sqlite").path]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = output
      try process.run()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(text)")
      #expect(text.contains("browser checks: 0 failed"), "\(text)")
    }
  }
}
