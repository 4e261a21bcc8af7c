import Foundation
import KilnPostgres
import KilnSQL
import KilnSQLite

/// The embedded store: one SQLite file.
public typealias SQLiteTrackingStore = SQLTrackingStore<SQLiteDatabase>
/// The team store: a PostgreSQL database.
public typealias PostgresTrackingStore = SQLTrackingStore<PostgresDatabase>

extension SQLTrackingStore where Database == SQLiteDatabase {
  /// Opens (creating and migrating when needed) the store in `databaseFile`. A store that exists
  /// but cannot be written is opened read-only.
  /// - Parameters:
  ///   - busyTimeout: how long a writer waits for another process's transaction.
  ///   - readOnly: open an existing store for reading only, even when it could be written (a viewer).
  public convenience init(databaseFile: URL, busyTimeout: TimeInterval = 60, readOnly: Bool = false) throws {
    let manager = FileManager.default
    let folder = databaseFile.deletingLastPathComponent().path
    if readOnly && !manager.fileExists(atPath: databaseFile.path) {
      throw TrackingError(.databaseUnavailable, "there is no tracking store at \(databaseFile.path)",
                          hint: "run a command that tracks runs (kiln train) first, or pass --store with the folder that holds kiln.sqlite")
    }
    let isReadOnly = manager.fileExists(atPath: databaseFile.path)
      && (readOnly || !(manager.isWritableFile(atPath: databaseFile.path) && manager.isWritableFile(atPath: folder)))
    // Without its write-ahead log beside it, every committed transaction of a store in a folder
    // that cannot be written is in the main file, and stays there: SQLite can read it as
    // immutable without creating the log's files. A viewer of a writable store (`kiln ui` while
    // a run trains) reads it read-only instead, so it sees what is written after it opened.
    let walExists = manager.fileExists(atPath: databaseFile.path + "-wal")
    let access: SQLiteDatabase.Access = !isReadOnly ? .readWrite
      : walExists || manager.isWritableFile(atPath: folder) ? .readOnly : .immutable
    do {
      if !isReadOnly {
        try manager.createDirectory(at: databaseFile.deletingLastPathComponent(), withIntermediateDirectories: true)
      }
      let database = try SQLiteDatabase.retryingWhileBusy { try SQLiteDatabase(file: databaseFile, access: access, busyTimeout: busyTimeout) }
      try database.migrate(Self.migrations(for: .sqlite))
      self.init(database: database)
    } catch let error as SQLiteError {
      throw TrackingError(.databaseUnavailable, "cannot open the tracking store \(databaseFile.path): \(error.message)",
                          hint: error.hint ?? "check that the directory is writable and the file is a Kiln store")
    }
  }

  /// The database file.
  public var databaseFile: URL { database.file }
}

extension SQLTrackingStore where Database == PostgresDatabase {
  /// Connects to the database at `url`, creating or migrating its tables when needed. With
  /// `readOnly` (a viewer such as `kiln ui`, best connected as a role granted only `SELECT`), the
  /// session is read-only and the tables must already be current: nothing is created.
  /// - Throws: `TrackingError` (`databaseUnavailable`) naming the server (without its password) and the reason.
  public convenience init(url: PostgresURL, readOnly: Bool = false) throws {
    do {
      let database = try PostgresDatabase(url: url, readOnly: readOnly)
      let migrations = Self.migrations(for: .postgreSQL)
      if readOnly {
        let pending = try database.pendingMigrations(migrations)
        guard pending.isEmpty else {
          throw TrackingError(.databaseUnavailable,
                              "the tracking store at \(url) lacks \(pending.count) schema migration\(pending.count == 1 ? "" : "s") (\(pending.joined(separator: ", "))), and a read-only connection cannot apply them",
                              hint: "run any kiln command that writes (kiln runs list) against it once with a role that may create tables")
        }
      } else {
        try database.migrate(migrations)
      }
      self.init(database: database)
    } catch let error as PostgresError {
      // A connection failure names the server already.
      let reason = error.code == .connectionFailed ? error.message : "\(url): \(error.message)"
      throw TrackingError(.databaseUnavailable, "cannot open the tracking store: \(reason)",
                          hint: "check that the PostgreSQL server is running, that the database exists and that the user may create tables in it")
    }
  }

  /// The server and database (print it: its description hides the password).
  public var url: PostgresURL { database.url }
}
