import Foundation

/// One value as SQLite stores it: its five storage classes.
public enum SQLiteValue: Hashable, Sendable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob(Data)

  /// The storage class's name, for messages.
  public var typeName: String {
    switch self {
    case .null: return "NULL"
    case .integer: return "INTEGER"
    case .real: return "REAL"
    case .text: return "TEXT"
    case .blob: return "BLOB"
    }
  }
}

/// A Swift type that binds to a statement's parameter and reads back from a column.
///
/// Reads convert only without loss: an INTEGER column reads as `Double`, a REAL one as `Int64`
/// only when it holds a whole number, NULL only as an optional; anything else fails with
/// `SQLiteError.Code.mismatch` instead of inventing a value.
public protocol SQLiteValueConvertible {
  /// The value bound for this instance.
  var sqliteValue: SQLiteValue { get }
  /// The instance a stored value reads as, or nil when it does not convert.
  init?(sqliteValue: SQLiteValue)
}

/// A statement's parameters, in order: values of any convertible type, `nil` for NULL.
public typealias SQLiteArguments = [(any SQLiteValueConvertible)?]

extension SQLiteValue: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { self }
  public init?(sqliteValue: SQLiteValue) { self = sqliteValue }
}

extension Int64: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .integer(self) }
  public init?(sqliteValue: SQLiteValue) {
    switch sqliteValue {
    case .integer(let value): self = value
    case .real(let value): guard let exact = Int64(exactly: value) else { return nil }; self = exact
    default: return nil
    }
  }
}

extension Int: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
  public init?(sqliteValue: SQLiteValue) {
    guard let wide = Int64(sqliteValue: sqliteValue), let value = Int(exactly: wide) else { return nil }
    self = value
  }
}

extension Int32: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .integer(Int64(self)) }
  public init?(sqliteValue: SQLiteValue) {
    guard let wide = Int64(sqliteValue: sqliteValue), let value = Int32(exactly: wide) else { return nil }
    self = value
  }
}

/// Stored as 1 or 0, as SQLite's own boolean expressions are.
extension Bool: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) }
  public init?(sqliteValue: SQLiteValue) {
    switch sqliteValue {
    case .integer(let value): self = value != 0
    case .real(let value): self = value != 0
    default: return nil
    }
  }
}

extension Double: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .real(self) }
  public init?(sqliteValue: SQLiteValue) {
    switch sqliteValue {
    case .real(let value): self = value
    case .integer(let value): self = Double(value)
    default: return nil
    }
  }
}

extension String: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .text(self) }
  public init?(sqliteValue: SQLiteValue) {
    guard case .text(let value) = sqliteValue else { return nil }
    self = value
  }
}

/// Bound as a blob; reads a blob, or a text's UTF-8 bytes.
extension Data: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { .blob(self) }
  public init?(sqliteValue: SQLiteValue) {
    switch sqliteValue {
    case .blob(let value): self = value
    case .text(let value): self = Data(value.utf8)
    default: return nil
    }
  }
}

/// NULL binds and reads as `nil`; any other value as the wrapped type.
extension Optional: SQLiteValueConvertible where Wrapped: SQLiteValueConvertible {
  public var sqliteValue: SQLiteValue { map(\.sqliteValue) ?? .null }
  public init?(sqliteValue: SQLiteValue) {
    if case .null = sqliteValue {
      self = .none
      return
    }
    guard let value = Wrapped(sqliteValue: sqliteValue) else { return nil }
    self = .some(value)
  }
}
