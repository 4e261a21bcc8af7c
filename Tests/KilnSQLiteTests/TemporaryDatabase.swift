import Foundation
import KilnSQLite

/// A fresh database file in a new temporary folder (the folder has a `?` and a `#` in its name,
/// which the file URI must keep as part of the path).
func temporaryDatabaseFile() throws -> URL {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("kiln-sqlite-tests ?#% \(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory.appendingPathComponent("test.sqlite")
}

/// A read-write database with one table `item(id INTEGER PRIMARY KEY, name TEXT UNIQUE, payload)`.
func databaseWithItems(busyTimeout: TimeInterval = 5) throws -> SQLiteDatabase {
  let database = try SQLiteDatabase(file: try temporaryDatabaseFile(), access: .readWrite, busyTimeout: busyTimeout)
  try database.write { try $0.execute(sql: "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT UNIQUE, payload)") }
  return database
}
