import KilnOutput
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration

/// `kiln runs compare`: the parameters that differ between runs and their metrics side by side.
public struct RunComparison: CommandOutput {
  public let runs: [RunRecord]
  public let parameters: [[String: String]]
  public let metrics: [[String: Double]]

  public init(tracker: Tracker, runIDs: [String]) throws {
    runs = try runIDs.map { try tracker.run(id: $0) }
    parameters = try runs.map { try tracker.store.parameters(runID: $0.id) }
    metrics = try runs.map { try tracker.store.latestMetrics(runID: $0.id).mapValues(\.value) }
  }

  /// Parameter keys whose values are not the same in every run (missing counts as different).
  public var differingParameterKeys: [String] {
    let keys = Set(parameters.flatMap(\.keys))
    return keys.filter { key in Set(parameters.map { $0[key] ?? "\u{0}" }).count > 1 }.sorted()
  }

  public func text() -> String {
    let header = [""] + runs.map { RunFormatting.shortID($0.id) }
    var output = ""
    var identity = TextTable(header: header)
    identity.append(["name"] + runs.map(\.name))
    identity.append(["status"] + runs.map(\.status.rawValue))
    output += identity.rendered() + "\n"
    let differing = differingParameterKeys
    if differing.isEmpty {
      output += "params: all equal\n\n"
    } else {
      var table = TextTable(header: ["PARAM"] + header.dropFirst())
      for key in differing { table.append([key] + parameters.map { $0[key] ?? "-" }) }
      output += table.rendered() + "\n"
    }
    var table = TextTable(header: ["METRIC"] + header.dropFirst())
    for key in Set(metrics.flatMap(\.keys)).sorted() {
      table.append([key] + metrics.map { RunFormatting.number($0[key]) })
    }
    output += table.rendered()
    return output
  }

  public func json() -> String {
    let items: [JSONValue] = runs.indices.map { index in
      var object = RunFormatting.summary(runs[index])
      object["parameters"] = .object(differingParameterKeys.reduce(into: [:]) { $0[$1] = parameters[index][$1].map(JSONValue.string) ?? .null })
      object["metrics"] = .object(metrics[index].mapValues(JSONValue.number))
      return .object(object)
    }
    return RunFormatting.json(.object(["differing_parameters": .array(differingParameterKeys.map(JSONValue.string)), "runs": .array(items)])) + "\n"
  }
}
