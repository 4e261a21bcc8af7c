import KilnOutput
/// The kinds of names Kiln turns into paths.
public enum NameKind: String, Sendable, CaseIterable {
  case experiment, model, dataset, run, artifact
}

/// The one rule for names that become paths: experiments, models, datasets, runs and artifacts.
///
/// A name is 1 to 100 characters from letters `A–Z a–z`, digits, `.`, `_` and `-`, beginning
/// with a letter or a digit — so no name is `.` or `..`, holds a `/`, or hides as a dot file.
/// An artifact name is such names joined by `/` (`model/checkpoint.h5`), at most 1,024 bytes.
/// Names are checked where a file is loaded (with its line) and again where a store accepts
/// them, and every path Kiln writes is checked to stay inside its root (`ContainedPath`).
public struct Name: Sendable, Hashable, CustomStringConvertible {
  /// The rule in words, for error messages and docs.
  public static let rule = "1 to 100 characters from letters, digits, '.', '_' and '-', beginning with a letter or a digit"
  public static let maximumLength = 100
  /// The longest artifact name, in bytes.
  public static let maximumArtifactBytes = 1_024

  public let kind: NameKind
  public let text: String

  /// Checks `text` against the rule for `kind`.
  /// - Throws: `NameError` naming the name, what is wrong and the rule.
  public init(_ text: String, kind: NameKind) throws {
    if let problem = Name.problem(with: text, kind: kind) { throw NameError(kind: kind, name: text, problem: problem) }
    self.kind = kind
    self.text = text
  }

  public var description: String { text }

  /// What is wrong with `text` as a name of `kind`, or nil when it follows the rule.
  public static func problem(with text: String, kind: NameKind) -> String? {
    guard kind == .artifact else { return segmentProblem(text) }
    if text.utf8.count > maximumArtifactBytes { return "it is longer than \(maximumArtifactBytes) bytes" }
    for segment in text.split(separator: "/", omittingEmptySubsequences: false) {
      if let problem = segmentProblem(String(segment)) {
        return segment.isEmpty ? "it has an empty part between '/'" : "its part '\(segment)': \(problem)"
      }
    }
    return nil
  }

  private static func segmentProblem(_ text: String) -> String? {
    if text.isEmpty { return "it is empty" }
    if text.count > maximumLength { return "it is \(text.count) characters long" }
    func allowed(_ scalar: Unicode.Scalar) -> Bool {
      switch scalar {
      case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": return true
      default: return false
      }
    }
    let scalars = Array(text.unicodeScalars)
    if let bad = scalars.first(where: { !allowed($0) }) {
      let shown = bad.properties.isWhitespace || bad.value < 0x20 || bad.value == 0x7f
        ? "U+\(String(bad.value, radix: 16, uppercase: true))" : String(bad)
      return "it contains '\(shown)'"
    }
    if let first = scalars.first, [".", "_", "-"].contains(first) { return "it begins with '\(first)'" }
    return nil
  }
}

/// A name that breaks the rule: which kind, the name, what is wrong, and the rule.
public struct NameError: KilnError, Sendable, Equatable {
  public var kind: NameKind
  public var name: String
  public var problem: String

  public init(kind: NameKind, name: String, problem: String) {
    self.kind = kind
    self.name = name
    self.problem = problem
  }

  public var message: String { "'\(name)' is not a valid \(kind.rawValue) name: \(problem)" }

  /// The rule, e.g. `a run name is ...`.
  public var hint: String? {
    "a\(kind == .experiment || kind == .artifact ? "n" : "") \(kind.rawValue) name is \(kind == .artifact ? "names joined by '/', each " : "")\(Name.rule)"
  }
}
