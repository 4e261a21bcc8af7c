import ArgumentParser
import Foundation
import KilnConfiguration
import KilnPromotion
import KilnMonitoring

/// `--run RUN_ID` or `--model NAME[@production|@staging|@champion|:VERSION]`: the trained model a
/// monitoring command uses. At most one may be given; commands that need a model check for one.
struct ModelSelection: ParsableArguments {
  @Option(name: .customLong("run"), help: "The trained run whose model to use (id or unique prefix).")
  var runID: String?

  @Option(help: ArgumentHelp(
    "A registered model version: NAME (the production version), NAME@production, NAME@staging (the newest staged version), NAME@champion or NAME:VERSION.",
    valueName: "reference"))
  var model: String?

  var isGiven: Bool { runID != nil || model != nil }

  func validate() throws {
    guard runID == nil || model == nil else { throw ValidationError("give either --run or --model, not both") }
    if let model { _ = try parsedReference(model) }
  }

  /// Throws the reference's parse error as a usage error.
  private func parsedReference(_ text: String) throws -> ModelReference {
    do { return try ModelReference.parse(text) } catch { throw ValidationError("\(error)") }
  }

  /// The model to use: the run `--run` names, or the registered version `--model` names (announced
  /// on standard error, and kept so scoring runs are tagged with it). Nil when neither was given.
  func loadModel(layout: ProjectLayout) throws -> MonitoredModel? {
    if let runID { return try MonitoredModel.load(runID: runID, layout: layout) }
    guard let model else { return nil }
    return try ModelSelection.load(model, layout: layout)
  }

  /// The registered version `reference` names, loaded and announced on standard error.
  static func load(_ reference: String, layout: ProjectLayout) throws -> MonitoredModel {
    let loaded = try MonitoredModel.load(reference: try ModelReference.parse(reference), layout: layout)
    if let version = loaded.registeredVersion {
      FileHandle.standardError.write(Data("model \(reference): \(version.modelName) v\(version.version) (\(version.stage.rawValue)), run \(version.runID)\n".utf8))
    }
    return loaded
  }
}
