import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import KilnTracking

/// Exports runs to a running MLflow tracking server through its REST API (`--to http://…`),
/// as MLflow's own client would log them: an experiment per Kiln experiment (found by name, or
/// created), a run per run with its parameters, tags and every metric point (`runs/log-batch`,
/// in MLflow's batch limits), its dataset lineage as dataset inputs (`runs/log-inputs`), its
/// artifacts (when the server serves them) and its status and end time.
///
/// Names go through `MLflowNames`; the server makes its own run ids, so each run carries Kiln's
/// as the tag `kiln.run_id` (and its parent's as `kiln.parent_run_id`), and `mlflow.parentRunId`
/// names the parent's MLflow run when the parent is exported too.
public enum MLflowServerExport {
  /// Sends `runs` (parents before children, by start time) to the server at `server`.
  /// - Returns: the MLflow run id of each Kiln run id.
  /// - Throws: `TrackingError.exportFailed` naming the request, the server's error code and message.
  public static func export(_ runs: [RunRecord], tracker: Tracker, to server: URL) throws -> [String: String] {
    let client = MLflowRESTClient(server: server)
    var experimentIDs: [String: String] = [:]
    var runIDs: [String: String] = [:]
    for run in runs.sorted(by: { ($0.startTime, $0.id) < ($1.startTime, $1.id) }) {
      let experimentID = try experimentIDs[run.experiment] ?? client.experimentID(named: run.experiment)
      experimentIDs[run.experiment] = experimentID
      var tags = try tracker.store.tags(runID: run.id)
      tags["kiln.run_id"] = run.id
      if let parent = run.parentID {
        tags["kiln.parent_run_id"] = parent
        if let mapped = runIDs[parent] { tags["mlflow.parentRunId"] = mapped }
      }
      if let source = run.sourceVersion { tags["mlflow.source.git.commit"] = source.commit }
      let created = try client.call("runs/create", [
        "experiment_id": .string(experimentID), "run_name": .string(run.name),
        "start_time": .number(Double(MLflowExport.milliseconds(run.startTime))),
        "tags": .array(tags.sorted { $0.key < $1.key }.map(keyValue)),
      ])
      guard case .object(let response) = created, case .object(let wrapper)? = response["run"], case .object(let info)? = wrapper["info"],
            case .string(let runID)? = info["run_id"] else {
        throw TrackingError(.exportFailed, "the MLflow server at \(server.absoluteString) answered runs/create without a run id",
                            hint: "check that the URL is an MLflow tracking server")
      }
      runIDs[run.id] = runID
      let parameters = try tracker.store.parameters(runID: run.id).sorted { $0.key < $1.key }.map(keyValue)
      for start in stride(from: 0, to: parameters.count, by: 100) {
        _ = try client.call("runs/log-batch", ["run_id": .string(runID), "params": .array(Array(parameters[start..<min(start + 100, parameters.count)]))])
      }
      var points: [JSONValue] = []
      for key in try tracker.store.latestMetrics(runID: run.id).keys.sorted() {
        for point in try tracker.metricHistory(runID: run.id, key: key) {
          points.append(.object(["key": .string(MLflowNames.encoded(key)), "value": number(point.value),
                                 "timestamp": .number(Double(MLflowExport.milliseconds(point.timestamp))), "step": .number(Double(point.step))]))
        }
      }
      for start in stride(from: 0, to: points.count, by: 1_000) {
        _ = try client.call("runs/log-batch", ["run_id": .string(runID), "metrics": .array(Array(points[start..<min(start + 1_000, points.count)]))])
      }
      let inputs = try tracker.store.datasetInputs(runID: run.id)
      if !inputs.isEmpty {
        _ = try client.call("runs/log-inputs", ["run_id": .string(runID), "datasets": .array(inputs.map(MLflowExport.datasetInput))])
      }
      if case .string(let artifactURI)? = info["artifact_uri"], artifactURI.hasPrefix("mlflow-artifacts:/") {
        for artifact in try tracker.store.artifacts(runID: run.id) {
          try client.upload(try Data(contentsOf: tracker.artifactStore.url(for: artifact)),
                            to: String(artifactURI.dropFirst("mlflow-artifacts:/".count)) + "/" + artifact.name)
        }
      }
      var update: [String: JSONValue] = ["run_id": .string(runID), "status": .string(run.status.rawValue.uppercased())]
      if let end = run.endTime { update["end_time"] = .number(Double(MLflowExport.milliseconds(end))) }
      _ = try client.call("runs/update", update)
    }
    return runIDs
  }

  static func keyValue(_ entry: (key: String, value: String)) -> JSONValue {
    .object(["key": .string(MLflowNames.encoded(entry.key)), "value": .string(entry.value)])
  }

  /// A double as protobuf's JSON mapping writes it: non-finite values as the strings `NaN`,
  /// `Infinity` and `-Infinity`.
  static func number(_ value: Double) -> JSONValue {
    if value.isNaN { return .string("NaN") }
    if value.isInfinite { return .string(value > 0 ? "Infinity" : "-Infinity") }
    return .number(value)
  }
}

/// The few calls of MLflow's REST API the export makes, synchronously.
struct MLflowRESTClient {
  let server: URL

  /// The id of the experiment named `name`, created when the server has none.
  func experimentID(named name: String) throws -> String {
    if case .object(let found)? = try? call("experiments/get-by-name", query: ["experiment_name": name]),
       case .object(let experiment)? = found["experiment"], case .string(let id)? = experiment["experiment_id"] {
      return id
    }
    guard case .object(let created) = try call("experiments/create", ["name": .string(name)]),
          case .string(let id)? = created["experiment_id"] else {
      throw TrackingError(.exportFailed, "the MLflow server at \(server.absoluteString) created experiment '\(name)' without an id")
    }
    return id
  }

  /// POSTs `body` to `/api/2.0/mlflow/<endpoint>` (or GETs it with `query`) and returns the answer.
  func call(_ endpoint: String, _ body: [String: JSONValue]? = nil, query: [String: String] = [:]) throws -> JSONValue {
    var components = URLComponents(url: server.appendingPathComponent("api/2.0/mlflow/" + endpoint), resolvingAgainstBaseURL: false)
    if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.key, value: $0.value) } }
    guard let url = components?.url else {
      throw TrackingError(.exportFailed, "'\(server.absoluteString)' does not make a URL for \(endpoint)", hint: "give --to http://host:port")
    }
    var request = URLRequest(url: url)
    if let body {
      request.httpMethod = "POST"
      request.setValue("application/json", forHTTPHeaderField: "Content-Type")
      request.httpBody = Data(JSONValue.object(body).canonicalText.utf8)
    }
    let data = try send(request, describing: endpoint)
    return data.isEmpty ? .object([:]) : try JSONValue.parse(String(decoding: data, as: UTF8.self))
  }

  /// PUTs an artifact's bytes to the server's artifact proxy.
  func upload(_ data: Data, to path: String) throws {
    var request = URLRequest(url: server.appendingPathComponent("api/2.0/mlflow-artifacts/artifacts/" + path))
    request.httpMethod = "PUT"
    request.httpBody = data
    _ = try send(request, describing: "artifact \(path)")
  }

  private func send(_ request: URLRequest, describing what: String) throws -> Data {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var outcome: (Data?, URLResponse?, Error?) = (nil, nil, nil)
    URLSession.shared.dataTask(with: request) { data, response, error in
      outcome = (data, response, error)
      done.signal()
    }.resume()
    done.wait()
    let (data, response, error) = outcome
    if let error {
      throw TrackingError(.exportFailed, "cannot reach the MLflow server at \(server.absoluteString) (\(what)): \(error.localizedDescription)",
                          hint: "check that `mlflow server` runs there and that this host may connect to it")
    }
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    guard (200..<300).contains(status) else {
      let answer = String(decoding: (data ?? Data()).prefix(500), as: UTF8.self)
      throw TrackingError(.exportFailed, "the MLflow server at \(server.absoluteString) refused \(what) with HTTP \(status): \(answer)",
                          hint: "the server's answer names the field it rejects")
    }
    return data ?? Data()
  }
}
