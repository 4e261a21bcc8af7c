import KilnOutput
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration

/// `kiln runs show`: everything about one run, as text or JSON.
public struct RunReport: CommandOutput {
  public let run: RunRecord
  public let parameters: [String: String]
  public let tags: [String: String]
  public let metrics: [MetricSummary]
  public let artifacts: [ArtifactRecord]
  public let inputs: [DatasetReference]
  public let children: [RunRecord]
  /// The run's resource use (its `system.*` metrics); nil when it recorded none.
  public let resources: ResourceUsage?

  /// Gathers the run's records; each metric series is summarised in the store (24-bucket profile).
  public init(tracker: Tracker, runID: String) throws {
    let record = try tracker.run(id: runID)
    run = record
    parameters = try tracker.store.parameters(runID: record.id)
    tags = try tracker.store.tags(runID: record.id)
    metrics = try tracker.store.metricSummaries(runID: record.id, buckets: 24)
    artifacts = try tracker.store.artifacts(runID: record.id)
    inputs = try tracker.store.datasetInputs(runID: record.id)
    children = try tracker.children(of: record.id)
    resources = ResourceUsage(metrics: Dictionary(metrics.compactMap { summary in summary.last.map { (summary.key, $0.value) } },
                                                  uniquingKeysWith: { $1 }))
  }

  public func text() -> String {
    var lines: [String] = []
    lines.append("run \(run.id)  \(run.name)")
    lines.append("  experiment  \(run.experiment)")
    lines.append("  status      \(run.status.rawValue)\(run.deletedTime == nil ? "" : " (deleted)")")
    lines.append("  started     \(RunFormatting.time(run.startTime)) UTC   ended \(RunFormatting.time(run.endTime))   duration \(RunFormatting.duration(run))")
    lines.append("  seed        \(run.seed.map(String.init) ?? "-")")
    lines.append("  host        \(run.host) (pid \(run.processID))")
    if let source = run.sourceVersion { lines.append("  git         \(source.commit)\(source.isDirty ? " (dirty)" : "")") }
    if !run.commandLine.isEmpty { lines.append("  command     \(run.commandLine.joined(separator: " "))") }
    lines.append("  parent      \(run.parentID ?? "-")")
    if !children.isEmpty {
      lines.append("  children    \(children.count)")
      for child in children { lines.append("    \(RunFormatting.shortID(child.id))  \(child.name)  \(child.status.rawValue)") }
    }
    lines.append("")
    lines.append("configuration (sha256 \(run.configurationHash.prefix(12)))")
    lines.append(contentsOf: parameters.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value)" })
    if !tags.isEmpty {
      lines.append("")
      lines.append("tags")
      lines.append(contentsOf: tags.sorted { $0.key < $1.key }.map { "  \($0.key) = \($0.value)" })
    }
    lines.append("")
    lines.append(contentsOf: metricLines())
    if let resources {
      lines.append("")
      lines.append("resources")
      let width = resources.reportRows.map(\.label.count).max() ?? 0
      lines.append(contentsOf: resources.reportRows.map { "  " + $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.value })
    }
    if !artifacts.isEmpty {
      lines.append("")
      var table = TextTable(header: ["ARTIFACT", "SIZE", "SHA256"])
      for artifact in artifacts { table.append([artifact.name, "\(artifact.size)", String(artifact.sha256.prefix(16))]) }
      lines.append(contentsOf: table.rendered().split(separator: "\n").map { "  " + $0 })
    }
    if !inputs.isEmpty {
      lines.append("")
      var table = TextTable(header: ["DATASET", "VERSION", "SPLIT", "FINGERPRINT"])
      for input in inputs { table.append([input.name, input.version, input.split.isEmpty ? "-" : input.split, String(input.fingerprint.prefix(16))]) }
      lines.append(contentsOf: table.rendered().split(separator: "\n").map { "  " + $0 })
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func metricLines() -> [String] {
    guard !metrics.isEmpty else { return ["metrics: none"] }
    var table = TextTable(header: ["METRIC", "FINAL", "STEP", "BEST", "POINTS", "HISTORY"])
    for summary in metrics {
      table.append([summary.key, RunFormatting.number(summary.last?.value), summary.last.map { "\($0.step)" } ?? "-",
                    RunFormatting.number(summary.best), "\(summary.count)", RunFormatting.sparkline(summary.profile)])
    }
    return table.rendered().split(separator: "\n").map { "  " + $0 }
  }

  public func json() -> String {
    var object = RunFormatting.summary(run)
    object["parameters"] = .object(parameters.mapValues(JSONValue.string))
    object["tags"] = .object(tags.mapValues(JSONValue.string))
    object["configuration"] = .string(run.configurationText)
    object["metrics"] = .object(Dictionary(uniqueKeysWithValues: metrics.map { summary in
      (summary.key, JSONValue.object([
        "final": summary.last.map { .number($0.value) } ?? .null, "best": summary.best.map(JSONValue.number) ?? .null,
        "minimum": summary.minimum.map(JSONValue.number) ?? .null, "maximum": summary.maximum.map(JSONValue.number) ?? .null,
        "count": .number(Double(summary.count)),
      ]))
    }))
    object["artifacts"] = .array(artifacts.map { .object(["name": .string($0.name), "size": .number(Double($0.size)), "sha256": .string($0.sha256)]) })
    object["inputs"] = .array(inputs.map {
      .object(["name": .string($0.name), "version": .string($0.version), "split": .string($0.split), "fingerprint": .string($0.fingerprint)])
    })
    object["children"] = .array(children.map { .string($0.id) })
    object["resources"] = resources?.jsonValue ?? .null
    return RunFormatting.json(.object(object)) + "\n"
  }
}
