import KilnOutput
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// The registry's listings behind `kiln models list|show` and the logic of `kiln models rollback`.
public enum ModelRegistryListing {
  /// Every registered model: name, latest version, champion, staging versions.
  public static func list(layout: ProjectLayout) throws -> RegisteredModels {
    RegisteredModels(models: try Tracker(layout: layout, mustExist: true).store.registeredModels())
  }

  /// One model's versions with their stage and lineage.
  public static func show(model: String, layout: ProjectLayout) throws -> ModelVersions {
    let versions = try Tracker(layout: layout, mustExist: true).store.modelVersions(model: model)
    guard !versions.isEmpty else {
      throw TrackingError(.unknownModel, "no registered model named '\(model)'", hint: "list the models with `kiln models list`")
    }
    return ModelVersions(model: model, versions: versions, layout: layout)
  }

  /// Production back to the version in production before the current one (recorded in the audit log).
  public static func rollback(model: String, actor: String?, reason: String?, layout: ProjectLayout) throws -> ModelVersionRecord {
    let tracker = try Tracker(layout: layout, mustExist: true)
    return try tracker.store.rollback(model: model, actor: actor, reason: reason, at: tracker.clock())
  }
}

/// `kiln models list`: a table, or a JSON array of the models (snake_case keys).
public struct RegisteredModels: CommandOutput {
  public var models: [RegisteredModelSummary]

  public func text() -> String {
    guard !models.isEmpty else { return "no registered models; register one with `kiln promote RUN_ID --model NAME`\n" }
    var table = TextTable(header: ["model", "latest", "champion (production)", "staging"])
    for model in models {
      table.append([model.name, "v\(model.latestVersion)", model.championVersion.map { "v\($0)" } ?? "—",
                    model.stagingVersions.isEmpty ? "—" : model.stagingVersions.map { "v\($0)" }.joined(separator: ", ")])
    }
    return table.rendered()
  }

  public func json() throws -> String { try JSONOutput.encoded(models) }
}

/// `kiln models show NAME`: the versions as a table, or a JSON array (snake_case keys).
public struct ModelVersions: CommandOutput {
  public var model: String
  public var versions: [ModelVersionRecord]
  public var layout: ProjectLayout

  public func text() -> String {
    var table = TextTable(header: ["version", "stage", "alias", "run", "dataset", "commit", "configuration", "report"])
    for version in versions {
      let report = ProjectLayout.relative(layout.reportsDirectory.appendingPathComponent("\(model)/v\(version.version)/model-card.html"), to: layout)
      table.append(["v\(version.version)", version.stage.rawValue, version.isChampion ? "champion" : "", String(version.runID.prefix(12)),
                    String(version.datasetFingerprint.prefix(12)), version.gitCommit.map { String($0.prefix(10)) } ?? "—",
                    String(version.configurationHash.prefix(12)), report])
    }
    return "\(model): \(versions.count) version\(versions.count == 1 ? "" : "s")\n" + table.rendered()
  }

  public func json() throws -> String { try JSONOutput.encoded(versions) }
}

extension ProjectLayout {
  /// `url`'s path relative to the project root when it lies inside it.
  package static func relative(_ url: URL, to layout: ProjectLayout) -> String {
    let root = layout.root.path.hasSuffix("/") ? layout.root.path : layout.root.path + "/"
    return url.path.hasPrefix(root) ? String(url.path.dropFirst(root.count)) : url.path
  }
}
