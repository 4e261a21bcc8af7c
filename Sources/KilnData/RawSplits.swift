import Foundation

/// The raw rows of every split, checked: labels are classes (or finite numbers), numbers parse.
///
/// Rows whose label is missing (a `format.missing` token) are left out of every split under
/// either missing-value policy, since a label cannot be imputed, and counted in `rowsWithoutLabel`.
struct RawSplits {
  var columns: [String]
  /// All rows, in file order (train file, then test file).
  var rows: [[String?]]
  /// The label code of each row (binary: 1 = positive; multiclass: index into `classes`);
  /// all 0 for regression.
  var labels: [Int32]
  /// The regression target of each row (empty for classification).
  var targets: [Float] = []
  /// The class names in code order (`[negative, positive]` for binary; empty for regression).
  var classes: [String] = []
  /// Rows left out because their label was missing, by the split their file was named for.
  var rowsWithoutLabel: [String: Int] = [:]
  /// Row numbers of each split (`train`, `validation`, `test`).
  var splits: [String: [Int]]
  /// File and line of each row, for error messages.
  var origins: [(file: String, line: Int)]
  /// Data rows per raw file, keyed by the split it was named for (before the recipe's filters).
  var fileRows: [String: Int] = [:]
  /// The paths of the raw files read, in order (as in the `file` of `origins`).
  var sourceFiles: [String] = []
  /// The recipe's row filters with their tallies.
  var filter: RowFilter?

  func describe(row: Int) -> String { "\(origins[row].file):\(origins[row].line)" }

  static func read(recipe: DatasetRecipe, directory: URL, recipeFile: String) throws -> RawSplits {
    func read(_ path: String) throws -> DelimitedTable {
      let table = try recipe.format.readTable(path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path))
      guard !table.records.isEmpty else {
        throw DatasetError(.emptyFile, "\(table.file): the file has no data rows", hint: "check that the right file is named in the recipe")
      }
      return table
    }
    var tables: [(String, DelimitedTable)] = []
    if let files = recipe.files {
      tables.append(("train", try read(files["train"]!)))
      if let test = files["test"] { tables.append(("test", try read(test))) }
    } else if let split = recipe.split {
      tables.append(("all", try read(split.file)))
    }
    let columns = tables[0].1.columns
    try checkColumns(recipe: recipe, columns: columns, recipeFile: recipeFile)
    var filter = try RowFilter(recipe: recipe, columns: columns, recipeFile: recipeFile)
    var fileRows: [String: Int] = [:]
    for index in tables.indices {
      guard tables[index].1.columns == columns else {
        throw DatasetError(.malformedRow, "\(tables[index].1.file): header \(tables[index].1.columns) differs from \(columns)")
      }
      let rowsRead = tables[index].1.records.count
      fileRows[tables[index].0] = rowsRead
      tables[index].1 = try filter.filter(tables[index].1, missing: Set(recipe.format.missing))
      guard !tables[index].1.records.isEmpty else {
        throw DatasetError(.emptyFile, "\(tables[index].1.file): the recipe's filters keep none of its \(rowsRead) rows",
                           hint: "check the rules under `filters:` in \(recipeFile); the import report counts the rows each rule keeps")
      }
    }
    var result = RawSplits(columns: columns, rows: [], labels: [], splits: [:], origins: [])
    result.fileRows = fileRows
    result.filter = filter
    result.sourceFiles = tables.map { $0.1.file }
    result.classes = try resolveClasses(recipe.label, firstTable: tables[0].1, missing: Set(recipe.format.missing))
    for (split, table) in tables {
      let start = result.rows.count
      result.rowsWithoutLabel[split] = try result.append(table, recipe: recipe)
      result.splits[split] = Array(start..<result.rows.count)
    }
    // Classes stratify the splits; a regression target is split by a plain seeded shuffle (one stratum).
    let strata = recipe.label.kind == .regression ? [Int32](repeating: 0, count: result.rows.count) : result.labels
    if let split = recipe.split, let all = result.splits.removeValue(forKey: "all") {
      let (train, test) = DatasetImporter.stratifiedSplit(all, labels: strata, fraction: split.testFraction, seed: split.seed)
      result.splits["train"] = train
      result.splits["test"] = test
    }
    if let validation = recipe.validation {
      let (train, carved) = DatasetImporter.stratifiedSplit(result.splits["train"]!, labels: strata,
                                                            fraction: validation.fraction, seed: validation.seed)
      result.splits["train"] = train
      result.splits["validation"] = carved
    }
    return result
  }

  /// Every column the recipe names must exist in the files (checked again here for header files).
  private static func checkColumns(recipe: DatasetRecipe, columns: [String], recipeFile: String) throws {
    let named = [recipe.label.column] + recipe.columns.numeric + recipe.columns.categorical + recipe.sensitive.map(\.column)
    for column in named where !columns.contains(column) {
      throw DatasetError(.unknownColumn, "\(recipeFile): unknown column '\(column)'",
                         hint: nearestName(to: column, in: columns).map { "did you mean '\($0)'?" } ?? "the files have columns \(columns.joined(separator: ", "))")
    }
  }

  /// The class names in code order: binary `[negative, positive]`; multiclass the listed classes,
  /// or for `auto` the sorted distinct values of the first raw file (the train file, or the one
  /// file a `split:` recipe divides); none for regression.
  private static func resolveClasses(_ label: DatasetRecipe.LabelSpec, firstTable: DelimitedTable, missing: Set<String>) throws -> [String] {
    switch label.kind {
    case .binary: return [label.negative ?? "", label.positive ?? ""]
    case .regression: return []
    case .multiclass:
      if case .listed(let names) = label.classes { return names }
      let index = firstTable.index(of: label.column)!
      let names = Array(Set(firstTable.records.compactMap { missing.contains($0.fields[index]) ? nil : label.normalized($0.fields[index]) })).sorted()
      guard names.count >= 3 else {
        throw DatasetError(.unknownLabel, "\(firstTable.file): label column '\(label.column)' has \(names.count) distinct values (\(names.joined(separator: ", "))); `classes: auto` needs at least 3",
                           hint: "for two classes use the binary form {column, positive, negative}")
      }
      return names
    }
  }

  /// Appends a table's rows; returns how many were left out for a missing label.
  private mutating func append(_ table: DelimitedTable, recipe: DatasetRecipe) throws -> Int {
    let label = recipe.label
    let labelIndex = table.index(of: label.column)!
    let numericIndices = recipe.columns.numeric.map { table.index(of: $0)! }
      + recipe.sensitive.filter { $0.bins != nil }.map { table.index(of: $0.column)! }
    let codes = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Int32($0)) })
    let missing = Set(recipe.format.missing)
    var withoutLabel = 0
    for record in table.records {
      let fields = record.fields.map { missing.contains($0) ? nil : $0 }
      let line = record.line
      guard let rawValue = fields[labelIndex] else {
        withoutLabel += 1
        continue
      }
      let value = label.normalized(rawValue)
      let place = "\(table.file):\(line): field \(labelIndex + 1) ('\(label.column)')"
      switch label.kind {
      case .binary:
        guard let code = codes[value] else {
          throw DatasetError(.unknownLabel, "\(place): label '\(rawValue)' is neither '\(label.positive ?? "")' nor '\(label.negative ?? "")'",
                             hint: "check label.positive, label.negative and label.strip_suffix in the recipe")
        }
        labels.append(code)
      case .multiclass:
        guard let code = codes[value] else {
          throw DatasetError(.unknownLabel, "\(place): label '\(rawValue)' is not one of the \(classes.count) classes (\(classes.joined(separator: ", ")))",
                             hint: "add it to label.classes (or write `classes: auto`), fix label.strip_suffix, or add the token to format.missing to drop the row")
        }
        labels.append(code)
      case .regression:
        guard let number = Double(value), number.isFinite, Float(number).isFinite else {
          throw DatasetError(.unparsableNumber, "\(place): regression target '\(rawValue)' is not a finite number",
                             hint: "a regression label must be a numeric column; add the token to format.missing to drop the row")
        }
        labels.append(0)
        targets.append(Float(number))
      }
      for index in numericIndices {
        if let text = fields[index], Double(text) == nil || !(Double(text)!.isFinite) {
          throw DatasetError(.unparsableNumber, "\(table.file):\(line): field \(index + 1) ('\(table.columns[index])'): cannot parse '\(text)' as a finite number",
                             hint: "declare the column categorical, or add the token to format.missing")
        }
      }
      rows.append(fields)
      origins.append((table.file, line))
    }
    return withoutLabel
  }
}
