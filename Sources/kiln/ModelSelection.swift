import ArgumentParser
import Foundation
import KilnWorkflows

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

  /// The run id to load: `--run` as given, or the run of the version `--model` names (announced on
  /// standard error). Nil when neither was given.
  func resolvedRunID(layout: ProjectLayout) throws -> String? {
    if let runID { return runID }
    guard let model else { return nil }
    return try ModelSelection.resolve(model, layout: layout)
  }

  /// The run of the registered version `reference` names, announced on standard error.
  static func resolve(_ reference: String, layout: ProjectLayout) throws -> String {
    let version = try ModelReference.parse(reference).resolve(layout: layout)
    FileHandle.standardError.write(Data("model \(reference): \(version.modelName) v\(version.version) (\(version.stage.rawValue)), run \(version.runID)\n".utf8))
    return version.runID
  }
}
