import Foundation

/// One row of a result, read by column position or name into any convertible type.
public struct PostgresRow: Sendable {
  public let columnNames: [String]
  public let values: [PostgresValue]
  let sql: String

  init(columnNames: [String], values: [PostgresValue], sql: String) {
    self.columnNames = columnNames
    self.values = values
    self.sql = sql
  }

  public subscript<Value: PostgresValueConvertible>(index: Int) -> Value {
    get throws {
      guard values.indices.contains(index) else {
        throw PostgresError(.mismatch, "the row has \(values.count) columns, and no column at index \(index)", sql: sql)
      }
      return try converted(values[index], column: "\(index) (\(columnNames[index]))")
    }
  }

  public subscript<Value: PostgresValueConvertible>(name: String) -> Value {
    get throws {
      guard let index = columnNames.firstIndex(of: name) else {
        throw PostgresError(.mismatch, "the row has no column '\(name)' (its columns: \(columnNames.joined(separator: ", ")))", sql: sql)
      }
      return try converted(values[index], column: "'\(name)'")
    }
  }

  private func converted<Value: PostgresValueConvertible>(_ value: PostgresValue, column: String) throws -> Value {
    guard let converted = Value(postgresValue: value) else {
      throw PostgresError(.mismatch, "column \(column) holds \(value.typeName), which does not read as \(Value.self)", sql: sql)
    }
    return converted
  }
}
