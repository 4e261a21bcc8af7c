/// A filter that does not parse, or names a field or value its user does not know, located by
/// the 0-based character offset where parsing stopped.
public struct FilterSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The whole filter text.
  public var text: String
  /// 0-based offset into `text` (its 1-based column is `offset + 1`).
  public var offset: Int
  public var message: String

  public init(text: String, offset: Int, message: String) {
    self.text = text
    self.offset = offset
    self.message = message
  }

  /// `filter error at column N: message`, then the text with a caret under the column.
  public var description: String {
    "filter error at column \(offset + 1): \(message)\n  \(text)\n  \(String(repeating: " ", count: offset))^"
  }
}

/// Thrown by a field resolver or value check to reject a name or literal; the parser adds where.
public struct FilterRejection: Error, Equatable, Sendable {
  public var message: String
  public init(_ message: String) { self.message = message }
}
