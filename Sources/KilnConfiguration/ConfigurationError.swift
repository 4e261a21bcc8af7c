import KilnOutput
/// A problem in an experiment file or a `--set` override: what is wrong, where, and what to do.
public struct ConfigurationError: KilnError, Sendable, Equatable {
  /// What kind of problem this is.
  public enum Code: String, Sendable {
    case unreadableFile
    case syntax
    /// The document is over a limit of `YAMLDocument.Limits` (size, nesting, alias expansion).
    case tooLarge
    case unknownKey
    case wrongType
    case missingKey
    case outOfRange
    /// `.inf` or `.nan` where a number is expected.
    case nonFinite
    case invalidOverride
    /// A gate names a metric the evaluation will not compute.
    case unknownMetric
  }

  /// One problem at one place.
  public struct Problem: KilnError, Sendable, Equatable {
    public let code: Code
    /// Where: `file:line:column` or `--set KEY`.
    public let place: String
    /// The dotted key path, e.g. `training.optimizer.lr`.
    public let keyPath: String
    public let message: String
    public let hint: String?

    package init(code: Code, location: String, keyPath: String, message: String, hint: String?) {
      self.code = code
      self.place = location
      self.keyPath = keyPath
      self.message = message
      self.hint = hint
    }

    /// `file:line:column: key.path` (or `--set KEY: key.path`).
    public var location: String? { keyPath.isEmpty ? place : "\(place): \(keyPath)" }

    /// `problems` sorted by line and column; problems without a line (`--set`, a whole file)
    /// keep their order after the located ones.
    static func inFileOrder(_ problems: [Problem]) -> [Problem] {
      func position(_ problem: Problem) -> (Int, Int) {
        let parts = problem.place.split(separator: ":")
        guard parts.count >= 3, let line = Int(parts[parts.count - 2]), let column = Int(parts[parts.count - 1]) else {
          return (Int.max, Int.max)
        }
        return (line, column)
      }
      return problems.enumerated().sorted { a, b in
        let (pa, pb) = (position(a.element), position(b.element))
        return pa != pb ? pa < pb : a.offset < b.offset
      }.map(\.element)
    }
  }

  /// Every problem found, in file order.
  public let problems: [Problem]

  public init(_ problems: [Problem]) {
    precondition(!problems.isEmpty, "ConfigurationError: an error needs at least one problem")
    self.problems = problems
  }

  public init(_ code: Code, location: String, keyPath: String, _ message: String, hint: String? = nil) {
    self.init([Problem(code: code, location: location, keyPath: keyPath, message: message, hint: hint)])
  }

  /// The code of the first problem.
  public var code: Code { problems[0].code }

  /// The first problem's fields; `description` lists every problem, one block each.
  public var message: String { problems[0].message }
  public var location: String? { problems[0].location }
  public var hint: String? { problems[0].hint }

  public var description: String {
    problems.map(\.description).joined(separator: "\nerror: ")
  }
}

/// The valid key nearest to `key` by edit distance, if it is close enough to be a likely typo.
package func nearestKey(to key: String, among candidates: some Sequence<String>) -> String? {
  var best: (key: String, distance: Int)?
  for candidate in candidates {
    let distance = editDistance(key.lowercased(), candidate.lowercased())
    if distance < best?.distance ?? .max { best = (candidate, distance) }
  }
  guard let best else { return nil }
  // A suggestion is useful while fewer than half the characters differ, or one is a prefix.
  let limit = max(2, min(key.count, best.key.count) / 2)
  if best.distance <= limit || best.key.hasPrefix(key) || key.hasPrefix(best.key) { return best.key }
  return nil
}

/// Levenshtein distance between two strings (insertions, deletions and substitutions cost 1).
func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a), b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
      current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
