import Foundation

/// A recipe (`datasets/NAME/dataset.yaml`): how raw files become a Kiln dataset.
///
/// Every key is checked: unknown keys are errors naming the key, the line and the nearest valid key.
public struct DatasetRecipe: Codable, Sendable, Equatable {
  public var name: String
  public var version: String
  public var source: String
  public var license: String
  /// How the raw files are laid out.
  public var format: RawFormat
  /// One raw file per split (`train`, `test`); exclusive with `split`.
  public var files: [String: String]?
  /// One raw file split into train and test by a seeded stratified fraction; exclusive with `files`.
  public var split: SeededSplit?
  /// The validation split, carved from train by a seeded stratified fraction.
  public var validation: ValidationSplit?
  public var label: LabelSpec
  public var columns: ColumnTypes
  public var sensitive: [SensitiveSpec]
  public var missingPolicy: MissingPolicy
  public var encoding: EncodingSpec?
  /// Row filters over raw columns, in the `kiln runs list --where` language; a row is imported
  /// when it satisfies every rule (`RowFilter`).
  public var filters: [String]?
  /// The recipe line of each rule in `filters` (filled in by `parse`; not part of the YAML).
  public var filterLines: [Int] = []

  package enum CodingKeys: String, CodingKey, CaseIterable {
    case name, version, source, license, format, files, split, validation, label, columns, sensitive
    case missingPolicy = "missing_policy", encoding, filters
  }

  /// How the raw files are written: delimiter, quoting, header, column names, missing-value
  /// tokens, comments, text encoding and the reader's limits (docs/DATASETS.md). Keys a recipe
  /// leaves out are not stored, so datasets imported before a key existed keep their fingerprint.
  public struct RawFormat: Codable, Sendable, Equatable {
    public var delimiter: String
    /// Whether the first non-skipped line names the columns.
    public var header: Bool
    /// Column names in file order (required when there is no header).
    public var columns: [String]?
    /// Values that mean "missing" after trimming, e.g. `?` (written `missing` or, as in pandas, `na_values`).
    public var missing: [String]
    /// Lines starting with one of these prefixes are skipped (e.g. Adult's `|1x3 Cross validator`).
    public var skipLinesStartingWith: [String]?
    /// The quote character (default `"`); `none` turns quoting off.
    public var quote: String?
    /// Outside quotes, this character ends a line's content; lines starting with it are skipped.
    public var comment: String?
    /// The files' text encoding: `utf-8` (the default) or `latin-1` (`iso-8859-1`).
    public var encoding: String?
    /// Whether spaces and tabs around fields are removed (default true).
    public var trimSpaces: Bool?
    /// The longest field the reader accepts, in bytes (default 1 MiB).
    public var maxFieldBytes: Int?
    /// The most fields a record may have (default 10,000).
    public var maxColumns: Int?

    package enum CodingKeys: String, CodingKey, CaseIterable {
      case delimiter, header, columns, missing
      case naValues = "na_values"
      case skipLinesStartingWith = "skip_lines_starting_with"
      case quote, comment, encoding
      case trimSpaces = "trim_spaces", maxFieldBytes = "max_field_bytes", maxColumns = "max_columns"
    }

    public init(delimiter: String = ",", header: Bool = true, columns: [String]? = nil, missing: [String] = [],
                skipLinesStartingWith: [String]? = nil) {
      self.delimiter = delimiter
      self.header = header
      self.columns = columns
      self.missing = missing
      self.skipLinesStartingWith = skipLinesStartingWith
    }

    public init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      delimiter = try container.decode(String.self, forKey: .delimiter)
      header = try container.decode(Bool.self, forKey: .header)
      columns = try container.decodeIfPresent([String].self, forKey: .columns)
      let missing = try container.decodeIfPresent([String].self, forKey: .missing)
      let naValues = try container.decodeIfPresent([String].self, forKey: .naValues)
      if missing != nil && naValues != nil {
        throw DecodingError.dataCorruptedError(forKey: .naValues, in: container,
                                               debugDescription: "'missing' and 'na_values' are two names for the same list; give one")
      }
      self.missing = missing ?? naValues ?? []
      skipLinesStartingWith = try container.decodeIfPresent([String].self, forKey: .skipLinesStartingWith)
      quote = try container.decodeIfPresent(String.self, forKey: .quote)
      comment = try container.decodeIfPresent(String.self, forKey: .comment)
      encoding = try container.decodeIfPresent(String.self, forKey: .encoding)
      trimSpaces = try container.decodeIfPresent(Bool.self, forKey: .trimSpaces)
      maxFieldBytes = try container.decodeIfPresent(Int.self, forKey: .maxFieldBytes)
      maxColumns = try container.decodeIfPresent(Int.self, forKey: .maxColumns)
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(delimiter, forKey: .delimiter)
      try container.encode(header, forKey: .header)
      try container.encodeIfPresent(columns, forKey: .columns)
      try container.encode(missing, forKey: .missing)
      try container.encodeIfPresent(skipLinesStartingWith, forKey: .skipLinesStartingWith)
      try container.encodeIfPresent(quote, forKey: .quote)
      try container.encodeIfPresent(comment, forKey: .comment)
      try container.encodeIfPresent(encoding, forKey: .encoding)
      try container.encodeIfPresent(trimSpaces, forKey: .trimSpaces)
      try container.encodeIfPresent(maxFieldBytes, forKey: .maxFieldBytes)
      try container.encodeIfPresent(maxColumns, forKey: .maxColumns)
    }
  }

  public struct SeededSplit: Codable, Sendable, Equatable {
    public var file: String
    public var testFraction: Double
    public var seed: UInt64

    package enum CodingKeys: String, CodingKey, CaseIterable {
      case file, testFraction = "test_fraction", seed
    }
  }

  public struct ValidationSplit: Codable, Sendable, Equatable {
    public var fraction: Double
    public var seed: UInt64

    package enum CodingKeys: String, CodingKey, CaseIterable { case fraction, seed }
  }

  /// The label column and its kind (docs/DATASETS.md):
  /// - binary `{column, positive, negative, strip_suffix?}` (`kind` may be left out);
  /// - multiclass `{column, kind: multiclass, classes: [a, b, c] | auto, strip_suffix?}`;
  /// - regression `{column, kind: regression}` (a numeric column).
  public struct LabelSpec: Codable, Sendable, Equatable {
    public var column: String
    public var kind: LabelKind
    /// Binary only: the value that is class 1.
    public var positive: String?
    /// Binary only: the value that is class 0.
    public var negative: String?
    /// Multiclass only: the class names in code order, or `auto` (learned from the train file).
    /// A stored encoding always holds the resolved list.
    public var classes: ClassList?
    /// A suffix removed before matching (Adult's test file writes `>50K.`).
    public var stripSuffix: String?

    package enum CodingKeys: String, CodingKey, CaseIterable {
      case column, kind, positive, negative, classes, stripSuffix = "strip_suffix"
    }

    /// A binary label.
    public init(column: String, positive: String, negative: String, stripSuffix: String? = nil) {
      self.column = column
      kind = .binary
      self.positive = positive
      self.negative = negative
      self.stripSuffix = stripSuffix
    }

    /// A multiclass or regression label.
    public init(column: String, kind: LabelKind, classes: ClassList? = nil, stripSuffix: String? = nil) {
      self.column = column
      self.kind = kind
      self.classes = classes
      self.stripSuffix = stripSuffix
    }

    public init(from decoder: Decoder) throws {
      let container = try decoder.container(keyedBy: CodingKeys.self)
      column = try container.decode(String.self, forKey: .column)
      kind = try container.decodeIfPresent(LabelKind.self, forKey: .kind) ?? .binary
      positive = try container.decodeIfPresent(String.self, forKey: .positive)
      negative = try container.decodeIfPresent(String.self, forKey: .negative)
      classes = try container.decodeIfPresent(ClassList.self, forKey: .classes)
      stripSuffix = try container.decodeIfPresent(String.self, forKey: .stripSuffix)
    }

    /// Binary specs encode exactly as before label kinds existed, so stored encodings (and with
    /// them the fingerprints) of binary datasets do not change.
    public func encode(to encoder: Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(column, forKey: .column)
      if kind != .binary { try container.encode(kind, forKey: .kind) }
      try container.encodeIfPresent(positive, forKey: .positive)
      try container.encodeIfPresent(negative, forKey: .negative)
      try container.encodeIfPresent(classes, forKey: .classes)
      try container.encodeIfPresent(stripSuffix, forKey: .stripSuffix)
    }

    /// The value with `strip_suffix` removed.
    public func normalized(_ value: String) -> String {
      guard let stripSuffix, !stripSuffix.isEmpty, value.hasSuffix(stripSuffix) else { return value }
      return String(value.dropLast(stripSuffix.count))
    }
  }

  /// A multiclass label's classes: listed in code order, or `auto`.
  public enum ClassList: Codable, Sendable, Equatable {
    case listed([String])
    /// The sorted distinct values of the train file (with `split:`, of the one raw file).
    case automatic

    public init(from decoder: Decoder) throws {
      let container = try decoder.singleValueContainer()
      if let word = try? container.decode(String.self) {
        guard word == "auto" else {
          throw DecodingError.dataCorruptedError(in: container, debugDescription: "classes must be a list of class names or `auto`, got '\(word)'")
        }
        self = .automatic
      } else {
        self = .listed(try container.decode([String].self))
      }
    }

    public func encode(to encoder: Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .listed(let names): try container.encode(names)
      case .automatic: try container.encode("auto")
      }
    }
  }

  /// Which columns are numeric and which categorical; columns named in neither are ignored.
  public struct ColumnTypes: Codable, Sendable, Equatable {
    public var numeric: [String]
    public var categorical: [String]

    package enum CodingKeys: String, CodingKey, CaseIterable { case numeric, categorical }
  }

  /// A sensitive attribute: a column kept as codes, or derived from one by a map or by bins.
  public struct SensitiveSpec: Codable, Sendable, Equatable {
    public var name: String
    public var column: String
    /// Raw value → group name (e.g. German `A91: male`); exclusive with `bins`.
    public var map: [String: String]?
    /// Numeric thresholds for bands (e.g. age `> 25`); exclusive with `map`.
    public var bins: Bins?
    /// Whether the attribute is a model input. For a plain column, `false` removes the column
    /// from the features; for a derived attribute, `true` appends its one-hot encoding.
    public var input: Bool

    package enum CodingKeys: String, CodingKey, CaseIterable { case name, column, map, bins, input }
  }

  /// Bands of a numeric column: value ≤ edges[0] → labels[0], …, value > edges.last → labels.last.
  public struct Bins: Codable, Sendable, Equatable {
    public var edges: [Double]
    public var labels: [String]

    package enum CodingKeys: String, CodingKey, CaseIterable { case edges, labels }
  }

  /// What happens to rows with missing values.
  public enum MissingPolicy: String, Codable, Sendable, Equatable, CaseIterable {
    /// Rows with a missing value in any used column are dropped.
    case drop
    /// Numerics take the train median, categoricals the train mode, plus a `COLUMN=missing`
    /// indicator feature for each column that has missing values in train.
    case impute
  }

  /// Encoding choices; the defaults are one-hot and standardisation.
  public struct EncodingSpec: Codable, Sendable, Equatable {
    public var categorical: CategoricalEncoding
    public var numeric: NumericEncoding

    package enum CodingKeys: String, CodingKey, CaseIterable { case categorical, numeric }
  }

  public enum CategoricalEncoding: String, Codable, Sendable, Equatable { case oneHot = "one_hot" }
  public enum NumericEncoding: String, Codable, Sendable, Equatable { case standardize, none }
}
