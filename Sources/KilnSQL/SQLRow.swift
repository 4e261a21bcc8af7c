import Foundation

/// One result row: its values in column order, read by index or by column name.
///
/// Reads are typed by the context (`let name: String = try row["name"]`) and throw
/// `SQLValueError` when the stored value does not convert (a NULL read as a non-optional, text
/// read as a number) or the row has no such column.
public struct SQLRow: Sendable {
  /// The result's column names, in order.
  public let columnNames: [String]
  /// The values, in column order.
  public let values: [SQLValue]
  /// The statement the row came from, for messages.
  @usableFromInline let sql: String

  public init(columnNames: [String], values: [SQLValue], sql: String) {
    self.columnNames = columnNames
    self.values = values
    self.sql = sql
  }

  /// The value of column `index` (0-based). Inlinable, so a read of a large result is
  /// specialised to its type where it is made.
  @inlinable
  public subscript<Value: SQLValueConvertible>(index: Int) -> Value {
    get throws {
      guard values.indices.contains(index) else {
        throw SQLValueError(.noSuchColumn, "the row has \(values.count) columns, and no column at index \(index)", sql: sql)
      }
      return try converted(values[index], column: "\(index) (\(columnNames[index]))")
    }
  }

  /// The value of the column named `name` (compared without case when no name matches exactly).
  public subscript<Value: SQLValueConvertible>(name: String) -> Value {
    get throws {
      guard let index = columnNames.firstIndex(of: name)
              ?? columnNames.firstIndex(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
        throw SQLValueError(.noSuchColumn, "the row has no column '\(name)' (its columns: \(columnNames.joined(separator: ", ")))", sql: sql)
      }
      return try converted(values[index], column: "'\(name)'")
    }
  }

  /// `column` names the column for the message only, so it is made only when the value does not read.
  @inlinable
  func converted<Value: SQLValueConvertible>(_ value: SQLValue, column: @autoclosure () -> String) throws -> Value {
    guard let converted = Value(sqlValue: value) else {
      throw SQLValueError(.mismatch, "column \(column()) holds \(value.typeName) \(value.excerpt), which does not read as \(Value.self)", sql: sql)
    }
    return converted
  }
}
