import Foundation

/// The raw rows of every split, checked: labels are classes, numbers parse.
struct RawSplits {
  var columns: [String]
  /// All rows, in file order (train file, then test file).
  var rows: [[String?]]
  /// The label code of each row (1 = positive).
  var labels: [Int32]
  /// Row numbers of each split (`train`, `validation`, `test`).
  var splits: [String: [Int]]
  /// File and line of each row, for error messages.
  var origins: [(file: String, line: Int)]
  /// Data rows per raw file, keyed by the split it was named for.
  var fileRows: [String: Int] = [:]

  func describe(row: Int) -> String { "\(origins[row].file):\(origins[row].line)" }

  static func read(recipe: DatasetRecipe, directory: URL, recipeFile: String) throws -> RawSplits {
    let reader = RawFileReader(format: recipe.format)
    func resolve(_ path: String) -> URL {
      path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
    }
    var tables: [(String, RawTable)] = []
    if let files = recipe.files {
      tables.append(("train", try reader.read(resolve(files["train"]!))))
      if let test = files["test"] { tables.append(("test", try reader.read(resolve(test)))) }
    } else if let split = recipe.split {
      tables.append(("all", try reader.read(resolve(split.file))))
    }
    let columns = tables[0].1.columns
    try checkColumns(recipe: recipe, columns: columns, recipeFile: recipeFile)
    var result = RawSplits(columns: columns, rows: [], labels: [], splits: [:], origins: [])
    for (split, table) in tables {
      guard table.columns == columns else {
        throw DatasetError(.malformedRow, "\(table.file): header \(table.columns) differs from \(columns)")
      }
      let start = result.rows.count
      try result.append(table, recipe: recipe)
      result.splits[split] = Array(start..<result.rows.count)
      result.fileRows[split] = table.rows.count
    }
    if let split = recipe.split, let all = result.splits.removeValue(forKey: "all") {
      let (train, test) = DatasetImporter.stratifiedSplit(all, labels: result.labels, fraction: split.testFraction, seed: split.seed)
      result.splits["train"] = train
      result.splits["test"] = test
    }
    if let validation = recipe.validation {
      let (train, carved) = DatasetImporter.stratifiedSplit(result.splits["train"]!, labels: result.labels,
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

  private mutating func append(_ table: RawTable, recipe: DatasetRecipe) throws {
    let labelIndex = table.index(of: recipe.label.column)!
    let numericIndices = recipe.columns.numeric.map { table.index(of: $0)! }
      + recipe.sensitive.filter { $0.bins != nil }.map { table.index(of: $0.column)! }
    for (row, fields) in table.rows.enumerated() {
      let line = table.lines[row]
      var value = fields[labelIndex] ?? ""
      if let suffix = recipe.label.stripSuffix, value.hasSuffix(suffix) { value.removeLast(suffix.count) }
      let code: Int32
      switch value {
      case recipe.label.positive: code = 1
      case recipe.label.negative: code = 0
      default:
        throw DatasetError(.unknownLabel, "\(table.file):\(line): field \(labelIndex + 1) ('\(recipe.label.column)'): label '\(fields[labelIndex] ?? "")' is neither '\(recipe.label.positive)' nor '\(recipe.label.negative)'",
                           hint: "check label.positive, label.negative and label.strip_suffix in the recipe")
      }
      for index in numericIndices {
        if let text = fields[index], Double(text) == nil || !(Double(text)!.isFinite) {
          throw DatasetError(.unparsableNumber, "\(table.file):\(line): field \(index + 1) ('\(table.columns[index])'): cannot parse '\(text)' as a finite number",
                             hint: "declare the column categorical, or add the token to format.missing")
        }
      }
      rows.append(fields)
      labels.append(code)
      origins.append((table.file, line))
    }
  }
}
