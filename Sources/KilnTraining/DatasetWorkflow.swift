import KilnRecipes
import Foundation
import KilnData
import KilnConfiguration

/// The dataset commands' logic: locate recipes and files in the project, then import, profile,
/// validate or export.
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

  /// Writes a split's raw rows, as they were in the source files and after a header of the
  /// column names, to `output` (atomically) or, without one, returns them for standard output.
  /// - Returns: the rows written.
  public static func export(path: String, split: String, output: String?) throws -> RawRowExport {
    let dataset = try KilnDataset.open(URL(fileURLWithPath: path))
    defer { try? dataset.close() }
    let export = try dataset.exportRawRows(split: split)
    if let output {
      do {
        try Data(export.text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
      } catch {
        throw DatasetError(.writeFailed, "\(output): cannot write the exported rows: \(error.localizedDescription)",
                           hint: "check that the directory exists and is writable")
      }
    }
    return export
  }

  /// Every problem with a dataset file, including a fingerprint mismatch; empty when valid.
  public static func validate(path: String) -> [String] {
    KilnDataset.validate(URL(fileURLWithPath: path), verifyFingerprint: true)
  }
}
