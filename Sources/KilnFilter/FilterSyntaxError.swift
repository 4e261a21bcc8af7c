import KilnOutput

/// A filter that does not parse, or names a field or value its user does not know, located by
/// the 0-based character offset where parsing stopped.
public struct FilterSyntaxError: KilnError, Equatable, Sendable {
  /// The whole filter text.
  public var text: String
  /// 0-based offset into `text` (its 1-based column is `offset + 1`).
  public var offset: Int
  public var message: String
  /// What to write instead, when the parser knows (quotes around a bare word, say).
  public var hint: String?

  public init(text: String, offset: Int, message: String, hint: String? = nil) {
    self.text = text
    self.offset = offset
    self.message = message
    self.hint = hint
  }

  /// `column N` (1-based) of the filter text.
  public var location: String? { "column \(offset + 1)" }

  /// `SUBJECT error at column N: message`, then the text with a caret under the column: how the
  /// errors of the filter's users (run listings, recipes) quote it.
  public func pointedOut(as subject: String = "filter") -> String {
    "\(subject) error at column \(offset + 1): \(message)\n  \(text)\n  \(String(repeating: " ", count: offset))^"
  }

  /// This error's own hint, if any, then `general` (a user's advice on its filters).
  public func hint(followedBy general: String) -> String {
    hint.map { "\($0); \(general)" } ?? general
  }
}

/// Thrown by a field resolver or value check to reject a name or literal; the parser adds where.
public struct FilterRejection: Error, Equatable, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}
