import KilnData
import Yams

/// The allowed keys at each place in a recipe, so unknown keys fail with their line.
enum RecipeSchema {
  /// Allowed keys of the mapping at a key path (`*` for any sequence element);
  /// `nil` marks a free-form mapping (file names, value maps).
  static let allowedKeys: [String: [String]?] = [
    "": DatasetRecipe.CodingKeys.allCases.map(\.rawValue),
    "format": DatasetRecipe.RawFormat.CodingKeys.allCases.map(\.rawValue),
    "files": nil,
    "split": DatasetRecipe.SeededSplit.CodingKeys.allCases.map(\.rawValue),
    "validation": DatasetRecipe.ValidationSplit.CodingKeys.allCases.map(\.rawValue),
    "label": DatasetRecipe.LabelSpec.CodingKeys.allCases.map(\.rawValue),
    "columns": DatasetRecipe.ColumnTypes.CodingKeys.allCases.map(\.rawValue),
    "sensitive.*": DatasetRecipe.SensitiveSpec.CodingKeys.allCases.map(\.rawValue),
    "sensitive.*.map": nil,
    "sensitive.*.bins": DatasetRecipe.Bins.CodingKeys.allCases.map(\.rawValue),
    "encoding": DatasetRecipe.EncodingSpec.CodingKeys.allCases.map(\.rawValue),
  ]

  /// Walks the document and throws on the first key not allowed where it stands.
  static func check(_ node: Node, file: String, path: [String] = []) throws {
    let pattern = path.joined(separator: ".")
    switch node {
    case .mapping(let mapping):
      let allowed = allowedKeys[pattern] ?? nil
      for (key, value) in mapping {
        let name = key.string ?? "\(key)"
        if let allowed, !allowed.contains(name) {
          let line = key.mark.map { ":\($0.line):\($0.column)" } ?? ""
          let suggestion = nearestName(to: name, in: allowed).map { "did you mean '\($0)'?" }
            ?? "valid keys here: \(allowed.joined(separator: ", "))"
          throw DatasetError(.invalidRecipe, "\(file)\(line): unknown key '\(name)'\(pattern.isEmpty ? "" : " in '\(pattern)'")", hint: suggestion)
        }
        if allowed != nil { try check(value, file: file, path: path + [name]) }
      }
    case .sequence(let sequence):
      for element in sequence { try check(element, file: file, path: path + ["*"]) }
    default:
      return
    }
  }

  /// The node at a decoding path, for locating errors.
  static func node(at path: [CodingKey], in root: Node) -> Node? {
    node(atKeys: path.map { $0.intValue.map(String.init) ?? $0.stringValue }, in: root)
  }

  /// The node at a path of keys and sequence indices.
  static func node(atKeys keys: [String], in root: Node) -> Node? {
    var current: Node? = root
    for key in keys {
      guard let node = current else { return nil }
      if let index = Int(key), let sequence = node.sequence, index < sequence.count {
        current = sequence[index]
      } else {
        current = node.mapping?[key]
      }
    }
    return current
  }
}
