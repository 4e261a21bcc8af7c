import Foundation
import KilnData
import KilnYAML
import KilnPaths
import Yams

extension DatasetRecipe {
  /// Reads and checks a recipe file; relative raw-file paths are resolved against its directory.
  public static func load(from url: URL) throws -> DatasetRecipe {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw DatasetError(.missingFile, "\(url.path): recipe file does not exist", hint: "check the path")
    }
    let text = try String(contentsOf: url, encoding: .utf8)
    return try parse(text, file: url.path)
  }

  /// Parses recipe text; `file` names the source in error messages.
  public static func parse(_ text: String, file: String) throws -> DatasetRecipe {
    let root: Node
    do {
      guard let composed = try YAMLDocument.compose(text) else {
        throw DatasetError(.emptyFile, "\(file): the recipe is empty", hint: "see docs/DATASETS.md for the recipe format")
      }
      root = composed
    } catch let error as DatasetError {
      throw error
    } catch let error as YAMLDocument.LimitError {
      let place = error.line > 0 ? ":\(error.line):\(error.column)" : ""
      throw DatasetError(.invalidRecipe, "\(file)\(place): \(error.message)", hint: error.hint)
    } catch {
      throw DatasetError(.invalidRecipe, "\(file): not valid YAML: \(error)")
    }
    try RecipeSchema.check(root, file: file)
    var recipe: DatasetRecipe
    do {
      recipe = try YAMLDecoder().decode(DatasetRecipe.self, from: root)
    } catch let error as DecodingError {
      throw DatasetError(.invalidRecipe, "\(file): \(describe(error, root: root))", hint: "see docs/DATASETS.md for the recipe format")
    }
    recipe.filterLines = (recipe.filters ?? []).indices.map { RecipeSchema.node(atKeys: ["filters", String($0)], in: root)?.mark?.line ?? 0 }
    try recipe.checkConsistency(file: file, root: root)
    return recipe
  }

  private static func describe(_ error: DecodingError, root: Node) -> String {
    func location(_ path: [CodingKey]) -> String {
      let keyPath = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
      let line = RecipeSchema.node(at: path, in: root)?.mark.map { "line \($0.line): " } ?? ""
      return "\(line)\(keyPath.isEmpty ? "(top level)" : keyPath)"
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(location(context.codingPath)): missing required key '\(key.stringValue)'"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return "\(location(context.codingPath)): \(context.debugDescription)"
    case .dataCorrupted(let context):
      return "\(location(context.codingPath)): \(context.debugDescription)"
    @unknown default:
      return "\(error)"
    }
  }

  /// Checks what the types alone cannot: references between keys, fractions, exclusive options.
  func checkConsistency(file: String, root: Node) throws {
    func fail(_ key: [String], _ message: String, hint: String? = nil) -> DatasetError {
      let line = RecipeSchema.node(atKeys: key, in: root)?.mark.map { ":\($0.line):\($0.column)" } ?? ""
      return DatasetError(.invalidRecipe, "\(file)\(line): \(key.joined(separator: ".")): \(message)", hint: hint)
    }
    // The dataset's name becomes its file name (NAME.h5) and folder names of its versions.
    if let problem = Name.problem(with: name, kind: .dataset) {
      throw fail(["name"], "'\(name)' is not a valid dataset name: \(problem)", hint: "a dataset name is \(Name.rule)")
    }
    switch (files, split) {
    case (nil, nil): throw fail(["files"], "give either 'files' (a file per split) or 'split' (one file split by a seeded fraction)")
    case (.some, .some): throw fail(["split"], "'files' and 'split' are exclusive")
    case (.some(let files), nil):
      guard files["train"] != nil else { throw fail(["files"], "a 'train' file is required") }
      for key in files.keys where !["train", "test"].contains(key) {
        throw fail(["files", key], "unknown split '\(key)'", hint: "splits are train and test; validation is carved from train")
      }
    case (nil, .some(let split)):
      guard split.testFraction > 0, split.testFraction < 1 else { throw fail(["split", "test_fraction"], "must lie in (0, 1), got \(split.testFraction)") }
    }
    if let validation, !(validation.fraction > 0 && validation.fraction < 1) {
      throw fail(["validation", "fraction"], "must lie in (0, 1), got \(validation.fraction)")
    }
    if !format.header && format.columns == nil {
      throw fail(["format", "columns"], "column names are required when the files have no header")
    }
    _ = try format.delimitedFormat { key, message, hint in fail(["format", key], message, hint: hint) }
    try checkLabel(fail)
    try checkColumnReferences(fail)
    for (index, attribute) in sensitive.enumerated() where attribute.name.contains("/") || attribute.name.isEmpty || attribute.name == "." {
      throw fail(["sensitive", String(index), "name"], "sensitive attribute name '\(attribute.name)' cannot name an HDF5 dataset (no '/', not empty or '.')",
                 hint: "choose a name without '/', e.g. '\(attribute.name.replacingOccurrences(of: "/", with: "_"))'; `column` may keep the raw column's name")
    }
    // Rules are checked for syntax here, and against the columns when a header names them.
    for (index, rule) in (filters ?? []).enumerated() {
      let line = index < filterLines.count ? filterLines[index] : 0
      _ = try RowFilter.compile(rule, columns: format.columns, place: RowFilter.place(file, line, index))
    }
  }

  /// Each label kind takes its own keys: binary `positive`/`negative`, multiclass `classes`.
  private func checkLabel(_ fail: ([String], String, String?) -> DatasetError) throws {
    func forbid(_ key: String, _ present: Bool) throws {
      if present {
        throw fail(["label", key], "'\(key)' does not apply to a \(label.kind.rawValue) label",
                   "remove it; see docs/DATASETS.md for the label forms")
      }
    }
    switch label.kind {
    case .binary:
      try forbid("classes", label.classes != nil)
      if label.positive == nil || label.negative == nil {
        throw fail(["label"], "a binary label needs 'positive' and 'negative'",
                   "for more than two classes write `kind: multiclass` and `classes: [...]` or `classes: auto`")
      }
      if label.positive == label.negative { throw fail(["label", "positive"], "'positive' and 'negative' are both '\(label.positive ?? "")'", nil) }
    case .multiclass:
      try forbid("positive", label.positive != nil)
      try forbid("negative", label.negative != nil)
      guard let classes = label.classes else {
        throw fail(["label"], "a multiclass label needs 'classes'", "list them (`classes: [a, b, c]`) or write `classes: auto`")
      }
      if case .listed(let names) = classes {
        if names.count < 3 {
          throw fail(["label", "classes"], "a multiclass label needs at least 3 classes, found \(names.count)",
                     "for two classes use the binary form {column, positive, negative}")
        }
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
          throw fail(["label", "classes"], "class '\(repeated)' is listed twice", nil)
        }
      }
    case .regression:
      try forbid("positive", label.positive != nil)
      try forbid("negative", label.negative != nil)
      try forbid("classes", label.classes != nil)
    }
  }

  private func checkColumnReferences(_ fail: ([String], String, String?) -> DatasetError) throws {
    let overlap = Set(columns.numeric).intersection(columns.categorical)
    if let column = overlap.sorted().first {
      throw fail(["columns"], "column '\(column)' is both numeric and categorical", "list it under one of the two")
    }
    if columns.numeric.contains(label.column) || columns.categorical.contains(label.column) {
      throw fail(["label", "column"], "the label column '\(label.column)' is also listed as a feature",
                 "remove it from columns.numeric and columns.categorical: a model must not see its own target")
    }
    // With a header row, the names are checked against it when the files are read.
    guard let known = format.columns else { return }
    func check(_ column: String, _ key: [String]) throws {
      guard known.contains(column) else {
        var error = fail(key, "unknown column '\(column)'", nearestName(to: column, in: known).map { "did you mean '\($0)'?" })
        error.kind = .unknownColumn
        throw error
      }
    }
    try check(label.column, ["label", "column"])
    for column in columns.numeric { try check(column, ["columns", "numeric"]) }
    for column in columns.categorical { try check(column, ["columns", "categorical"]) }
    for (index, attribute) in sensitive.enumerated() {
      try check(attribute.column, ["sensitive", String(index), "column"])
      if attribute.map != nil && attribute.bins != nil {
        throw fail(["sensitive", String(index)], "'map' and 'bins' are exclusive", nil)
      }
      if let bins = attribute.bins, bins.labels.count != bins.edges.count + 1 {
        throw fail(["sensitive", String(index), "bins"], "needs one more label than edges (\(bins.edges.count) edges, \(bins.labels.count) labels)", nil)
      }
    }
  }
}
