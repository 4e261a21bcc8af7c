/// What a dataset's label is: two classes, one of K classes, or a real-valued target.
///
/// Stored as the `kind` attribute of `/label` (docs/DATASETS.md). A file without the attribute
/// was written before multi-class labels and regression targets existed, and is binary.
public enum LabelKind: String, Codable, Sendable, CaseIterable {
  /// int32 codes 0 (negative) and 1 (positive); classes `[negative, positive]`.
  case binary
  /// int32 codes 0..<K indexing the class names.
  case multiclass
  /// float32 targets in the raw units of the label column; no classes.
  case regression

  /// Whether the label is a class code (binary or multiclass).
  public var isClassification: Bool { self != .regression }
}
