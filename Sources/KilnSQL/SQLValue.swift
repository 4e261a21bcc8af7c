import Foundation

/// One value as the SQL bindings send and read it: SQLite's five storage classes, and a boolean
/// (PostgreSQL's own type; SQLite stores it as the integer 1 or 0).
public enum SQLValue: Hashable, Sendable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case blob(Data)
  case boolean(Bool)

  /// The value's type, for messages.
  public var typeName: String {
    switch self {
    case .null: return "NULL"
    case .integer: return "INTEGER"
    case .real: return "REAL"
    case .text: return "TEXT"
    case .blob: return "BLOB"
    case .boolean: return "BOOLEAN"
    }
  }

  /// The value shortened for a message.
  @usableFromInline var excerpt: String {
    switch self {
    case .null: return ""
    case .integer(let number): return "\(number)"
    case .real(let number): return "\(number)"
    case .text(let text): return text.count > 40 ? "'\(text.prefix(40))…'" : "'\(text)'"
    case .blob(let bytes): return "of \(bytes.count) bytes"
    case .boolean(let flag): return "\(flag)"
    }
  }
}

/// A Swift type that binds to a statement's parameter and reads back from a column.
///
/// Reads convert only without loss: an INTEGER column reads as `Double`, a REAL one as `Int64`
/// only when it holds a whole number, NULL only as an optional; anything else fails with
/// `SQLValueError` instead of inventing a value.
public protocol SQLValueConvertible {
  /// The value bound for this instance.
  var sqlValue: SQLValue { get }
  /// The instance a stored value reads as, or nil when it does not convert.
  init?(sqlValue: SQLValue)
}

/// A statement's parameters, in order: values of any convertible type, `nil` for NULL.
public typealias SQLArguments = [(any SQLValueConvertible)?]

extension SQLValue: SQLValueConvertible {
  public var sqlValue: SQLValue { self }
  public init?(sqlValue: SQLValue) { self = sqlValue }
}

extension Int64: SQLValueConvertible {
  public var sqlValue: SQLValue { .integer(self) }
  public init?(sqlValue: SQLValue) {
    switch sqlValue {
    case .integer(let value): self = value
    case .real(let value): guard let exact = Int64(exactly: value) else { return nil }; self = exact
    default: return nil
    }
  }
}

extension Int: SQLValueConvertible {
  public var sqlValue: SQLValue { .integer(Int64(self)) }
  public init?(sqlValue: SQLValue) {
    guard let wide = Int64(sqlValue: sqlValue), let value = Int(exactly: wide) else { return nil }
    self = value
  }
}

extension Int32: SQLValueConvertible {
  public var sqlValue: SQLValue { .integer(Int64(self)) }
  public init?(sqlValue: SQLValue) {
    guard let wide = Int64(sqlValue: sqlValue), let value = Int32(exactly: wide) else { return nil }
    self = value
  }
}

/// Reads a boolean, or a number (non-zero is true), as SQLite's boolean expressions give.
extension Bool: SQLValueConvertible {
  public var sqlValue: SQLValue { .boolean(self) }
  public init?(sqlValue: SQLValue) {
    switch sqlValue {
    case .boolean(let value): self = value
    case .integer(let value): self = value != 0
    case .real(let value): self = value != 0
    default: return nil
    }
  }
}

extension Double: SQLValueConvertible {
  public var sqlValue: SQLValue { .real(self) }
  public init?(sqlValue: SQLValue) {
    switch sqlValue {
    case .real(let value): self = value
    case .integer(let value): self = Double(value)
    default: return nil
    }
  }
}

extension String: SQLValueConvertible {
  public var sqlValue: SQLValue { .text(self) }
  public init?(sqlValue: SQLValue) {
    guard case .text(let value) = sqlValue else { return nil }
    self = value
  }
}

/// Bound as a blob; reads a blob, or a text's UTF-8 bytes.
extension Data: SQLValueConvertible {
  public var sqlValue: SQLValue { .blob(self) }
  public init?(sqlValue: SQLValue) {
    switch sqlValue {
    case .blob(let value): self = value
    case .text(let value): self = Data(value.utf8)
    default: return nil
    }
  }
}

/// NULL binds and reads as `nil`; any other value as the wrapped type.
extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
  public var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
  public init?(sqlValue: SQLValue) {
    if case .null = sqlValue {
      self = .none
      return
    }
    guard let value = Wrapped(sqlValue: sqlValue) else { return nil }
    self = .some(value)
  }
}
