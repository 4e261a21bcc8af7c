import Foundation
import KilnTensor

/// Imports raw files into a Kiln dataset as a recipe describes (`kiln dataset import`).
///
/// Steps: read and check the raw files; parse labels and numbers (errors name file, line and
/// field); form splits (a file per split, or a seeded stratified fraction) and carve validation
/// from train; apply the missing-value policy; learn the encoding on the train split only;
/// encode every split (unseen categories go to the unknown bucket and are counted); write the
/// file atomically. Stored rows are ordered train, validation, test.
public enum DatasetImporter {
  /// Imports the recipe at `recipeURL` into `output` (default: `NAME.h5` beside the recipe).
  public static func importDataset(recipe recipeURL: URL, output: URL? = nil) throws -> ImportReport {
    let recipe = try DatasetRecipe.load(from: recipeURL)
    let directory = recipeURL.deletingLastPathComponent()
    let outputURL = output ?? directory.appendingPathComponent("\(recipe.name).h5")
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
    let encoding = plan.learn(from: trainRows.map { raw.rows[$0] }, allRows: raw.rows)
    let order = ["train", "validation", "test"].filter { splitRows[$0] != nil }
    var encodedSplits: [(String, EncodedRows, [Int32])] = []
    var unknown: [String: [String: Int]] = [:]
    for split in order {
      let rows = splitRows[split]!
      let encoded = try encoding.encode(parsedRows: rows.map { raw.rows[$0] }) { raw.describe(row: rows[$0]) }
      encodedSplits.append((split, encoded, encoded.sourceRows.map { raw.labels[rows[$0]] }))
      unknown[split] = encoded.unknownCounts
    }
    let total = encodedSplits.reduce(0) { $0 + $1.1.rowCount }
    let writer = try KilnDatasetWriter(
      url: output, header: DatasetHeader(name: recipe.name, version: recipe.version, source: recipe.source, license: recipe.license),
      rowCount: total, featureNames: encoding.featureNames, chunkRows: 1024)
    var labels: [Int32] = []
    var sensitive = encoding.sensitive.map { _ in [Int32]() }
    var splits: [String: [UInt32]] = [:]
    var positiveRate: [String: Double] = [:]
    for (split, encoded, splitLabels) in encodedSplits {
      try encoded.features.withUnsafeBufferPointer { try writer.appendFeatures($0) }
      splits[split] = (labels.count..<(labels.count + encoded.rowCount)).map { UInt32($0) }
      labels += splitLabels
      for (index, attribute) in encoding.sensitive.enumerated() { sensitive[index] += encoded.sensitive[attribute.name] ?? [] }
      positiveRate[split] = splitLabels.isEmpty ? 0 : Double(splitLabels.reduce(0, +)) / Double(splitLabels.count)
    }
    let fingerprint = try writer.finish(
      label: LabelColumn(name: recipe.label.column, classes: [recipe.label.negative, recipe.label.positive], codes: labels),
      sensitive: encoding.sensitive.enumerated().map { index, attribute in
        SensitiveColumn(name: attribute.name, categories: attribute.categories, codes: sensitive[index],
                        isModelInput: attribute.isModelInput, column: attribute.column)
      },
      splits: splits, encoding: encoding)
    return ImportReport(
      name: recipe.name, output: output.path, fingerprint: fingerprint, featureCount: encoding.featureCount,
      missingPolicy: recipe.missingPolicy, rawFileRows: raw.fileRows, rowsBeforePolicy: rowsBefore, rowsKeptByPolicy: kept,
      rowsWritten: splits.mapValues(\.count), unknownCategories: unknown, positiveRate: positiveRate,
      columns: ColumnProfile.profile(rows: raw.rows, columns: raw.columns, numeric: Set(recipe.columns.numeric)))
  }

  /// Splits `rows` by label into (rest, carved) with a seeded stratified fraction; both sorted.
  static func stratifiedSplit(_ rows: [Int], labels: [Int32], fraction: Double, seed: UInt64) -> (rest: [Int], carved: [Int]) {
    var rest: [Int] = []
    var carved: [Int] = []
    for label in Array(Set(rows.map { labels[$0] })).sorted() {
      var members = rows.filter { labels[$0] == label }
      var generator = SeededGenerator(seed: seed, stream: UInt64(bitPattern: Int64(label)))
      generator.shuffle(&members)
      let take = Int((Double(members.count) * fraction).rounded())
      carved += members.prefix(take)
      rest += members.dropFirst(take)
    }
    return (rest.sorted(), carved.sorted())
  }
}
