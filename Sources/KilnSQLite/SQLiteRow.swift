import Foundation

/// One result row: its values in column order, read by index or by column name.
///
/// Reads are typed by the context (`let name: String = try row["name"]`) and throw
/// `SQLiteError.Code.mismatch` when the stored value does not convert (a NULL read as a
/// non-optional, text read as a number), and `.range` for a column the row does not have.
public struct SQLiteRow: Sendable {
  /// The result's column names, in order.
  public let columnNames: [String]
  /// The values, in column order.
  public let values: [SQLiteValue]
  /// The statement the row came from, for messages.
  let sql: String

  init(columnNames: [String], values: [SQLiteValue], sql: String) {
    self.columnNames = columnNames
    self.values = values
    self.sql = sql
  }

  /// The value of column `index` (0-based).
  public subscript<Value: SQLiteValueConvertible>(index: Int) -> Value {
    get throws {
      guard values.indices.contains(index) else {
        throw SQLiteError(code: .range, message: "the row has \(values.count) columns, and no column at index \(index)", sql: sql)
      }
      return try converted(values[index], column: "\(index) (\(columnNames[index]))")
    }
  }

  /// The value of the column named `name` (compared without case, as SQLite does).
  public subscript<Value: SQLiteValueConvertible>(name: String) -> Value {
    get throws {
      guard let index = columnNames.firstIndex(of: name)
              ?? columnNames.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
        throw SQLiteError(code: .range, message: "the row has no column '\(name)' (its columns: \(columnNames.joined(separator: ", ")))",
                          sql: sql)
      }
      return try converted(values[index], column: "'\(name)'")
    }
  }

  private func converted<Value: SQLiteValueConvertible>(_ value: SQLiteValue, column: String) throws -> Value {
    guard let converted = Value(sqliteValue: value) else {
      throw SQLiteError(code: .mismatch, message: "column \(column) holds \(value.typeName) \(Self.excerpt(value)), which does not read as \(Value.self)",
                        sql: sql)
    }
    return converted
  }

  private static func excerpt(_ value: SQLiteValue) -> String {
    switch value {
    case .null: return ""
    case .integer(let number): return "\(number)"
    case .real(let number): return "\(number)"
    case .text(let text): return text.count > 40 ? "'\(text.prefix(40))…'" : "'\(text)'"
    case .blob(let bytes): return "of \(bytes.count) bytes"
    }
  }
}
