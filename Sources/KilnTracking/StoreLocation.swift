import Foundation
import KilnPostgres

/// Where a project's runs are kept: the embedded SQLite store in a folder (`.kiln/`, the
/// default), or a PostgreSQL database that a team's hosts share.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
  /// `kiln.sqlite` in `directory`.
  case embedded(directory: URL)
  /// A PostgreSQL database (`postgresql://user:password@host:port/database`).
  case postgreSQL(PostgresURL)

  /// The store that `text` names (`--store`, `KILN_STORE`): a `postgresql://` (or `postgres://`)
  /// URL, or else a folder for the embedded store, relative to `directory`.
  /// - Throws: `TrackingError` (`databaseUnavailable`) for a URL of another scheme.
  public static func parse(_ text: String, relativeTo directory: URL) throws -> StoreLocation {
    if PostgresURL.isPostgresURL(text) { return .postgreSQL(try PostgresURL(text)) }
    if let scheme = text.range(of: "://") {
      throw TrackingError(.databaseUnavailable, "the store '\(PostgresURL.redacting(text))' has scheme '\(text[..<scheme.lowerBound])', which Kiln does not know",
                          hint: "give a postgresql://user@host:port/database URL, or a folder for the embedded store")
    }
    return .embedded(directory: URL(fileURLWithPath: text, relativeTo: directory).standardizedFileURL)
  }

  /// Opens (creating and migrating when needed) the store; `readOnly` opens an existing store
  /// for reading only (a viewer such as `kiln ui`): an embedded store's file read-only, a
  /// PostgreSQL store in a read-only session, as a role that should be granted only `SELECT`.
  public func open(readOnly: Bool = false) throws -> any TrackingStore {
    switch self {
    case .embedded(let directory): return try SQLiteTrackingStore(databaseFile: directory.appendingPathComponent("kiln.sqlite"), readOnly: readOnly)
    case .postgreSQL(let url): return try PostgresTrackingStore(url: url, readOnly: readOnly)
    }
  }

  /// Whether the store exists: a server database always counts (opening it reports whether it is reachable).
  public var exists: Bool {
    switch self {
    case .embedded(let directory): return FileManager.default.fileExists(atPath: directory.appendingPathComponent("kiln.sqlite").path)
    case .postgreSQL: return true
    }
  }

  /// The store for messages: a folder's path, or the URL without its password.
  public var description: String {
    switch self {
    case .embedded(let directory): return directory.appendingPathComponent("kiln.sqlite").path
    case .postgreSQL(let url): return url.description
    }
  }
}
