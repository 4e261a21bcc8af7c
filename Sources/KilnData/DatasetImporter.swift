import KilnRandom
import Foundation
import KilnPaths
import KilnTensor

/// Imports raw files into a Kiln dataset as a recipe describes (`kiln dataset import`).
///
/// Steps: read and check the raw files; parse labels and numbers (errors name file, line and
/// field); form splits (a file per split, or a seeded stratified fraction) and carve validation
/// from train; apply the missing-value policy; learn the encoding on the train split only;
/// encode every split (unseen categories go to the unknown bucket and are counted); write the
/// file atomically with each row's raw file and line. Stored rows are ordered train, validation,
/// test. The recipe's row filters apply first, to the raw rows of each file.
public enum DatasetImporter {
  /// Imports `recipe`, read from `recipeURL` (its files are named relative to it), into `output`
  /// (default: `NAME.h5` beside the recipe). KilnRecipes reads recipe files.
  public static func importDataset(recipe: DatasetRecipe, from recipeURL: URL, output: URL? = nil) throws -> ImportReport {
    let directory = recipeURL.deletingLastPathComponent()
    let outputURL = try output ?? ContainedPath.url(under: directory, ["\(recipe.name).h5"])
    let raw = try RawSplits.read(recipe: recipe, directory: directory, recipeFile: recipeURL.path)
    return try importRows(recipe: recipe, raw: raw, output: outputURL)
  }

  static func importRows(recipe: DatasetRecipe, raw: RawSplits, output: URL) throws -> ImportReport {
    let plan = EncodingPlan(recipe: recipe, columns: raw.columns)
    var rowsBefore: [String: Int] = [:]
    var kept: [String: [String: Int]] = ["drop": [:], "impute": [:]]
    var splitRows: [String: [Int]] = [:]
    for (split, rows) in raw.splits {
      rowsBefore[split] = rows.count
      let complete = rows.filter { row in plan.usedColumns.allSatisfy { raw.rows[row][$0] != nil } }
      kept["drop"]![split] = complete.count
      kept["impute"]![split] = rows.count
      splitRows[split] = recipe.missingPolicy == .drop ? complete : rows
    }
    let trainRows = splitRows["train"] ?? []
    var resolved = recipe
    if recipe.label.kind == .multiclass { resolved.label.classes = .listed(raw.classes) }
    let encoding = EncodingPlan(recipe: resolved, columns: raw.columns).learn(from: trainRows.map { raw.rows[$0] }, allRows: raw.rows)
    let order = ["train", "validation", "test"].filter { splitRows[$0] != nil }
    let regression = recipe.label.kind == .regression
    var encodedSplits: [(String, EncodedRows, [Int])] = []
    var unknown: [String: [String: Int]] = [:]
    for split in order {
      let rows = splitRows[split]!
      let encoded = try encoding.encode(parsedRows: rows.map { raw.rows[$0] }) { raw.describe(row: rows[$0]) }
      encodedSplits.append((split, encoded, encoded.sourceRows.map { rows[$0] }))
      unknown[split] = encoded.unknownCounts
    }
    let total = encodedSplits.reduce(0) { $0 + $1.1.rowCount }
    let writer = try KilnDatasetWriter(
      url: output, header: DatasetHeader(name: recipe.name, version: recipe.version, source: recipe.source, license: recipe.license),
      rowCount: total, featureNames: encoding.featureNames, chunkRows: 1024)
    var labels: [Int32] = [], targets: [Float] = []
    var sensitive = encoding.sensitive.map { _ in [Int32]() }
    var splits: [String: [UInt32]] = [:]
    var summary = LabelSummary()
    var storedOrigins: [Int] = []
    for (split, encoded, sourceRows) in encodedSplits {
      try encoded.features.withUnsafeBufferPointer { try writer.appendFeatures($0) }
      let start = storedOrigins.count
      storedOrigins += sourceRows
      splits[split] = (start..<(start + encoded.rowCount)).map { UInt32($0) }
      if regression {
        targets += sourceRows.map { raw.targets[$0] }
      } else {
        labels += sourceRows.map { raw.labels[$0] }
      }
      for (index, attribute) in encoding.sensitive.enumerated() { sensitive[index] += encoded.sensitive[attribute.name] ?? [] }
      summary.add(split: split, kind: recipe.label.kind, classes: raw.classes,
                  codes: sourceRows.map { raw.labels[$0] }, targets: regression ? sourceRows.map { raw.targets[$0] } : [])
    }
    let fingerprint = try writer.finish(
      label: regression ? LabelColumn(name: recipe.label.column, targets: targets)
                        : LabelColumn(name: recipe.label.column, classes: raw.classes, codes: labels),
      sensitive: encoding.sensitive.enumerated().map { index, attribute in
        SensitiveColumn(name: attribute.name, categories: attribute.categories, codes: sensitive[index],
                        isModelInput: attribute.isModelInput, column: attribute.column)
      },
      splits: splits, encoding: encoding, source: try rowSources(raw: raw, rows: storedOrigins, recipe: recipe, output: output))
    var report = ImportReport(
      name: recipe.name, output: output.path, fingerprint: fingerprint, featureCount: encoding.featureCount,
      missingPolicy: recipe.missingPolicy, rawFileRows: raw.fileRows, rowsBeforePolicy: rowsBefore, rowsKeptByPolicy: kept,
      rowsWritten: splits.mapValues(\.count), unknownCategories: unknown, positiveRate: summary.positiveRate,
      columns: ColumnProfile.profile(rows: raw.rows, columns: raw.columns, numeric: Set(recipe.columns.numeric)))
    report.labelKind = recipe.label.kind
    report.rowsWithoutLabel = raw.rowsWithoutLabel
    report.classCounts = summary.classCounts
    report.targetStatistics = summary.targetStatistics
    report.filters = raw.filter?.report ?? []
    report.duplicates = DuplicateReport(features: encodedSplits.flatMap { $0.1.features }, featureCount: encoding.featureCount,
                                        labels: regression ? [] : labels, targets: targets,
                                        splits: splits.mapValues { $0.map(Int.init) })
    return report
  }

  /// The raw file and line of each stored row (`rows` are indices into `raw.rows`), with the
  /// files' paths relative to the output's folder and their digests.
  static func rowSources(raw: RawSplits, rows: [Int], recipe: DatasetRecipe, output: URL) throws -> RowSources {
    let fileIndex = Dictionary(raw.sourceFiles.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    let directory = output.deletingLastPathComponent()
    let files = raw.sourceFiles.map { URL(fileURLWithPath: $0) }
    return RowSources(files: files.map { RowSources.relativePath(of: $0, from: directory) },
                      fileDigests: try files.map(RowSources.digest(of:)),
                      fileCodes: rows.map { fileIndex[raw.origins[$0].file]! }, lines: rows.map { Int64(raw.origins[$0].line) },
                      filters: recipe.filters ?? [])
  }

  /// Splits `rows` by label into (rest, carved) with a seeded stratified fraction; both sorted.
  /// Regression passes one stratum (all labels 0): a plain seeded shuffle.
  static func stratifiedSplit(_ rows: [Int], labels: [Int32], fraction: Double, seed: UInt64) -> (rest: [Int], carved: [Int]) {
    var rest: [Int] = []
    var carved: [Int] = []
    for label in Array(Set(rows.map { labels[$0] })).sorted() {
      var members = rows.filter { labels[$0] == label }
      var generator = SeededGenerator(seed: seed, stream: .datasetSplit(stratum: label))
      generator.shuffle(&members)
      let take = Int((Double(members.count) * fraction).rounded())
      carved += members.prefix(take)
      rest += members.dropFirst(take)
    }
    return (rest.sorted(), carved.sorted())
  }
}
