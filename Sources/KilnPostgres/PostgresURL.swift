import Foundation

/// A `postgresql://` (or `postgres://`) connection URL, as libpq reads it
/// (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-URIS).
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
  /// The URL as given, password included: only ever handed to libpq.
  public let text: String

  /// - Throws: `PostgresError` (`connectionFailed`) when `text` is not a PostgreSQL URL.
  public init(_ text: String) throws {
    guard PostgresURL.isPostgresURL(text) else {
      throw PostgresError(.connectionFailed, "'\(PostgresURL.redacting(text))' is not a PostgreSQL URL: it must start with postgresql://")
    }
    self.text = text
  }

  /// Whether `text` names a PostgreSQL server rather than a file or folder.
  public static func isPostgresURL(_ text: String) -> Bool {
    text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
  }

  /// The URL with its password replaced by `***`: what messages and listings show.
  public var description: String { PostgresURL.redacting(text) }

  /// `text` with the password of its user information (`user:password@`) and of a `password=`
  /// query parameter replaced by `***`.
  public static func redacting(_ text: String) -> String {
    var result = text
    if let scheme = result.range(of: "://") {
      let rest = result[scheme.upperBound...]
      let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
      if let at = rest[..<authorityEnd].lastIndex(of: "@"),
         let colon = rest[..<at].firstIndex(of: ":") {
        result.replaceSubrange(result.index(after: colon)..<at, with: "***")
      }
    }
    if let range = result.range(of: "password=") {
      let end = result[range.upperBound...].firstIndex(of: "&") ?? result.endIndex
      result.replaceSubrange(range.upperBound..<end, with: "***")
    }
    return result
  }
}
