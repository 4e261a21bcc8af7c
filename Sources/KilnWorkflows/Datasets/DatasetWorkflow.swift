import Foundation
import KilnData

/// The dataset commands' logic: locate recipes and files in the project, then import, profile
/// or validate.
public enum DatasetWorkflow {
  /// A recipe path, or a dataset name resolved to `datasets/NAME/dataset.yaml` in the project.
  public static func recipeURL(for argument: String, layout: ProjectLayout) -> URL {
    let direct = URL(fileURLWithPath: argument)
    if argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml") { return direct }
    return layout.datasetsDirectory.appendingPathComponent(argument).appendingPathComponent("dataset.yaml")
  }

  /// Imports a recipe; the output defaults to `NAME.h5` beside the recipe.
  public static func importDataset(recipe argument: String, output: String?, layout: ProjectLayout) throws -> ImportReport {
    try DatasetImporter.importDataset(recipe: recipeURL(for: argument, layout: layout),
                                      output: output.map { URL(fileURLWithPath: $0) })
  }

  /// Opens (validating the structure) and profiles a dataset file.
  public static func inspect(path: String) throws -> DatasetProfile {
    try DatasetProfile.profile(of: KilnDataset.open(URL(fileURLWithPath: path)))
  }

  /// Every problem with a dataset file, including a fingerprint mismatch; empty when valid.
  public static func validate(path: String) -> [String] {
    KilnDataset.validate(URL(fileURLWithPath: path), verifyFingerprint: true)
  }
}
