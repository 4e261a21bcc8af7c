import KilnOutput
/// A problem with dataset input: a raw file, a recipe, or a stored dataset.
///
/// The message says what failed and where (file, line, column, key); the hint says what to do.
public struct DatasetError: KilnError, Sendable, Equatable {
  /// The family of failure, for callers that branch on it (the CLI maps all to one exit code).
  public enum Kind: String, Sendable, Equatable {
    case missingFile, emptyFile, malformedRow, unparsableNumber, unknownColumn, unknownLabel
    case duplicateColumn, invalidText, limitExceeded
    case invalidRecipe, nonFiniteFeature, invalidDataset, writeFailed
  }

  public var kind: Kind
  public var message: String
  public var hint: String?

  public init(_ kind: Kind, _ message: String, hint: String? = nil) {
    self.kind = kind
    self.message = message
    self.hint = hint
  }
}

/// Everything wrong with a stored dataset, found in one pass.
public struct DatasetValidationError: KilnError, Sendable, Equatable {
  /// The file that was checked.
  public var path: String
  /// One entry per problem, each naming the object path.
  public var problems: [String]

  public init(path: String, problems: [String]) {
    self.path = path
    self.problems = problems
  }

  public var message: String {
    "\(path) is not a valid Kiln dataset (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
      + problems.map { "  - \($0)" }.joined(separator: "\n")
  }

  public var hint: String? { nil }
}
