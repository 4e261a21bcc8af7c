import KilnRecipes
import Foundation
import KilnData
import Yams
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

/// A new dataset version derived from a parent by appending raw rows to its training file, or
/// replacing that file: `datasets/NAME/versions/vN/` holds the derived raw file, the derived
/// recipe (`dataset.yaml`, version N) and the imported `NAME.h5`.
public struct DatasetVersion: Sendable {
  public var name: String
  public var version: Int
  public var recipe: URL
  public var file: URL
  public var fingerprint: String
  public var parentVersion: String
  public var parentFingerprint: String
  /// Raw rows read from the new-data file.
  public var newRows: Int
  public var replaced: Bool
}

public enum DatasetVersioning {
  /// Derives and imports the next version of the dataset whose recipe is `baseRecipe` (the recipe
  /// beside the experiment's dataset). The parent is the newest `versions/vK` under the dataset's
  /// folder, or the base recipe when there is none; its `.h5` must exist (`parentFile`).
  public static func derive(baseRecipe: URL, parentFile: URL, newData: URL, replace: Bool) throws -> DatasetVersion {
    let root = datasetRoot(of: baseRecipe)
    let versions = root.appendingPathComponent("versions", isDirectory: true)
    let newest = existingVersions(in: versions).max()
    let parentRecipeURL = newest.map { versions.appendingPathComponent("v\($0)/dataset.yaml") } ?? baseRecipe
    let parentDataset = newest.map { versions.appendingPathComponent("v\($0)") } ?? baseRecipe.deletingLastPathComponent()
    let parent = try DatasetRecipe.load(from: parentRecipeURL)
    let parentFingerprint = try fingerprint(of: newest.map { _ in parentDataset.appendingPathComponent("\(parent.name).h5") } ?? parentFile)
    guard let trainPath = parent.files?["train"] ?? parent.split?.file else {
      throw DatasetError(.missingFile, "\(parentRecipeURL.path): the recipe names no training file to extend",
                         hint: "give the recipe `files: {train: …}` or `split: {file: …}`")
    }
    let newTable = try parent.format.readTable(newData)
    let parentTrainURL = resolve(trainPath, in: parentDataset)
    let parentColumns = try parent.format.reader(for: parentTrainURL).columns
    guard newTable.columns == parentColumns else {
      throw DatasetError(.malformedRow, "\(newData.path): columns \(newTable.columns) differ from the training file's \(parentColumns)",
                         hint: "write the new rows in the same raw format (and header) as \(parentTrainURL.path)")
    }
    let version = max(Int(parent.version) ?? 0, newest ?? 0) + 1
    let trainName = "\(parent.name)-train.\(parentTrainURL.pathExtension.isEmpty ? "csv" : parentTrainURL.pathExtension)"
    let derived = derivedRecipe(parent, version: version, trainName: trainName, parentIsVersion: newest != nil)
    let manager = FileManager.default
    try manager.createDirectory(at: versions, withIntermediateDirectories: true)
    let staging = versions.appendingPathComponent(".v\(version)-\(UUID().uuidString)", isDirectory: true)
    try manager.createDirectory(at: staging, withIntermediateDirectories: true)
    defer { try? manager.removeItem(at: staging) }
    let trainURL = staging.appendingPathComponent(trainName)
    if replace {
      try manager.copyItem(at: newData, to: trainURL)
    } else {
      let parentBytes = try Data(contentsOf: parentTrainURL)
      guard !parentBytes.starts(with: [0x1f, 0x8b]), (try parent.format.delimitedFormat()).encoding == .utf8,
            let parentText = String(data: parentBytes, encoding: .utf8) else {
        throw DatasetError(.invalidRecipe, "\(parentTrainURL.path): new rows can be appended only to an uncompressed UTF-8 training file",
                           hint: "retrain with --replace and a complete training file, or convert the training file to uncompressed UTF-8")
      }
      let appended = try dataLines(of: newTable, format: parent.format.delimitedFormat())
      let trainText = (parentText.hasSuffix("\n") || parentText.isEmpty ? parentText : parentText + "\n") + appended
      try trainText.write(to: trainURL, atomically: true, encoding: .utf8)
    }
    let recipeText = try derivedRecipeText(parentText: String(contentsOf: parentRecipeURL, encoding: .utf8), parent: parent,
                                           derived: derived, file: parentRecipeURL.path)
    try recipeText.write(to: staging.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
    let report = try DatasetImporter.importDataset(recipe: staging.appendingPathComponent("dataset.yaml"))
    let final = versions.appendingPathComponent("v\(version)", isDirectory: true)
    guard !manager.fileExists(atPath: final.path) else {
      throw DatasetError(.missingFile, "\(final.path) already exists", hint: "remove it, or retrain again to write the next version")
    }
    try manager.moveItem(at: staging, to: final)
    return DatasetVersion(name: parent.name, version: version, recipe: final.appendingPathComponent("dataset.yaml"),
                          file: final.appendingPathComponent("\(parent.name).h5"), fingerprint: report.fingerprint,
                          parentVersion: parent.version, parentFingerprint: parentFingerprint,
                          newRows: newTable.records.count, replaced: replace)
  }

  /// `parent` as version `version` of a `versions/vN` folder: its training file is `trainName`
  /// (beside it) and its other relative paths are re-rooted two folders up unless the parent
  /// already lives at that depth.
  static func derivedRecipe(_ parent: DatasetRecipe, version: Int, trainName: String, parentIsVersion: Bool) -> DatasetRecipe {
    var derived = parent
    derived.version = String(version)
    if var files = derived.files {
      for (key, path) in files where !path.hasPrefix("/") && !parentIsVersion { files[key] = "../../" + path }
      files["train"] = trainName
      derived.files = files
    } else if var split = derived.split {
      split.file = trainName
      derived.split = split
    }
    return derived
  }

  /// The derived recipe's text: the parent's text with only the values that change edited in place
  /// (`version`, the re-rooted `files` entries or `split.file`), so comments and layout survive.
  /// When the text cannot be edited so that it decodes (strictly) to `derived`, the recipe is
  /// written afresh from `derived` instead.
  static func derivedRecipeText(parentText: String, parent: DatasetRecipe, derived: DatasetRecipe, file: String) throws -> String {
    var replacements: [(path: [String], value: String)] = [(["version"], derived.version)]
    for (key, path) in (derived.files ?? [:]).sorted(by: { $0.key < $1.key }) where parent.files?[key] != path {
      replacements.append((["files", key], path))
    }
    if let split = derived.split, split.file != parent.split?.file { replacements.append((["split", "file"], split.file)) }
    if let edited = RecipeTextEdit.replacingScalars(in: parentText, replacements),
       (try? DatasetRecipe.parse(edited, file: file)) == derived {
      return edited
    }
    return try YAMLEncoder().encode(derived)
  }

  /// The dataset's folder: the recipe's folder, or two levels up when the recipe is a `versions/vK` one.
  static func datasetRoot(of recipe: URL) -> URL {
    let folder = recipe.deletingLastPathComponent()
    let up = folder.deletingLastPathComponent()
    return up.lastPathComponent == "versions" ? up.deletingLastPathComponent() : folder
  }

  /// The integers N of the `vN` folders in `versions`.
  static func existingVersions(in versions: URL) -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: versions.path)) ?? []
    return names.compactMap { $0.hasPrefix("v") ? Int($0.dropFirst()) : nil }
  }

  static func resolve(_ path: String, in folder: URL) -> URL {
    path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
  }

  static func fingerprint(of file: URL) throws -> String {
    let dataset = try KilnDataset.open(file)
    defer { try? dataset.close() }
    return dataset.metadata.fingerprint
  }

  /// The table's records as lines of `format` (fields quoted where they hold the delimiter, a
  /// quote or a line break), each ending in a newline.
  static func dataLines(of table: DelimitedTable, format: DelimitedFormat) -> String {
    let delimiter = String(UnicodeScalar(format.delimiter))
    let quote = format.quote.map { String(UnicodeScalar($0)) }
    return table.records.map { record in
      record.fields.map { field -> String in
        guard let quote, field.contains(where: { String($0) == delimiter || String($0) == quote || $0.isNewline }) else { return field }
        return quote + field.replacingOccurrences(of: quote, with: quote + quote) + quote
      }.joined(separator: delimiter) + "\n"
    }.joined()
  }
}
