import Foundation

/// What the importer learned from the train split, stored in `/encoding` so the same transform
/// applies to new raw rows at evaluation time (`encode(rawRows:)`).
public struct DatasetEncoding: Codable, Sendable, Equatable {
  /// The raw columns, in the order `encode(rawRows:)` expects its fields.
  public var rawColumns: [String]
  /// Tokens that mean "missing" in raw input.
  public var missingTokens: [String]
  public var missingPolicy: DatasetRecipe.MissingPolicy
  /// Feature blocks in feature order.
  public var blocks: [FeatureBlock]
  /// How each sensitive attribute is derived from the raw columns, with its categories.
  public var sensitive: [SensitiveEncoding]
  /// The label column and its classes, so labelled raw rows can be scored (`nil` if unknown).
  public var label: DatasetRecipe.LabelSpec?
  /// How the raw files were laid out, so new raw files can be read the same way (`nil` if unknown).
  public var format: DatasetRecipe.RawFormat?

  public init(rawColumns: [String], missingTokens: [String], missingPolicy: DatasetRecipe.MissingPolicy,
              blocks: [FeatureBlock], sensitive: [SensitiveEncoding],
              label: DatasetRecipe.LabelSpec? = nil, format: DatasetRecipe.RawFormat? = nil) {
    self.rawColumns = rawColumns
    self.missingTokens = missingTokens
    self.missingPolicy = missingPolicy
    self.blocks = blocks
    self.sensitive = sensitive
    self.label = label
    self.format = format
  }

  /// The name of every feature column: `age`, `sex=Female`, `workclass=<unknown>`, `age=<missing>`.
  public var featureNames: [String] { blocks.flatMap(\.featureNames) }

  /// The number of feature columns.
  public var featureCount: Int { blocks.reduce(0) { $0 + $1.width } }
}

/// One raw column's (or one derived attribute's) contribution to the features.
public struct FeatureBlock: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable { case numeric, categorical, derived }

  public var kind: Kind
  /// The raw column read.
  public var column: String
  /// The prefix of the feature names (the column, or the derived attribute's name).
  public var name: String
  /// Numeric: x ↦ (x − mean) / scale, with scale the train standard deviation (1 when it is 0).
  public var mean: Double
  public var scale: Double
  /// Numeric: the train median used to impute; categorical: the train mode.
  public var fill: String?
  /// Categorical or derived: the categories seen in train, one feature each (sorted).
  public var categories: [String]
  /// Derived attributes: the derivation from the raw column.
  public var derivation: SensitiveDerivation?
  /// Whether a `NAME=<missing>` indicator feature follows.
  public var indicator: Bool

  public init(kind: Kind, column: String, name: String, mean: Double = 0, scale: Double = 1, fill: String? = nil,
              categories: [String] = [], derivation: SensitiveDerivation? = nil, indicator: Bool = false) {
    self.kind = kind
    self.column = column
    self.name = name
    self.mean = mean
    self.scale = scale
    self.fill = fill
    self.categories = categories
    self.derivation = derivation
    self.indicator = indicator
  }

  /// The bucket for categories first seen outside train.
  public static let unknownCategory = "<unknown>"
  /// The suffix of missing-value indicator features.
  public static let missingIndicator = "<missing>"

  /// The feature columns this block produces.
  public var featureNames: [String] {
    var names: [String]
    switch kind {
    case .numeric: names = [name]
    case .categorical: names = (categories + [Self.unknownCategory]).map { "\(name)=\($0)" }
    case .derived: names = categories.map { "\(name)=\($0)" }
    }
    if indicator { names.append("\(name)=\(Self.missingIndicator)") }
    return names
  }

  public var width: Int {
    (kind == .numeric ? 1 : kind == .categorical ? categories.count + 1 : categories.count) + (indicator ? 1 : 0)
  }
}

/// How a sensitive attribute's group is read from a raw value.
public struct SensitiveDerivation: Codable, Sendable, Equatable {
  /// Raw value → group; exclusive with `edges`.
  public var map: [String: String]?
  /// Numeric band edges: value ≤ edges[0] → labels[0], …; exclusive with `map`.
  public var edges: [Double]?
  public var labels: [String]?

  public init(map: [String: String]? = nil, edges: [Double]? = nil, labels: [String]? = nil) {
    self.map = map
    self.edges = edges
    self.labels = labels
  }

  /// The group of a raw value; `nil` when it is missing or not covered by the derivation.
  public func group(of value: String?) -> String? {
    guard let value else { return nil }
    if let map { return map[value] }
    if let edges, let labels {
      guard let number = Double(value) else { return nil }
      let band = edges.firstIndex { number <= $0 } ?? edges.count
      return labels[band]
    }
    return value
  }
}

/// A sensitive attribute as stored: its source, derivation, categories and whether it is an input.
public struct SensitiveEncoding: Codable, Sendable, Equatable {
  public var name: String
  public var column: String
  public var derivation: SensitiveDerivation
  /// Group names; a code is an index into this list, −1 for missing or unmapped values.
  public var categories: [String]
  public var isModelInput: Bool

  public init(name: String, column: String, derivation: SensitiveDerivation, categories: [String], isModelInput: Bool) {
    self.name = name
    self.column = column
    self.derivation = derivation
    self.categories = categories
    self.isModelInput = isModelInput
  }

  /// The code of a raw value (−1 when missing or unmapped).
  public func code(of value: String?) -> Int32 {
    guard let group = derivation.group(of: value), let index = categories.firstIndex(of: group) else { return -1 }
    return Int32(index)
  }
}
