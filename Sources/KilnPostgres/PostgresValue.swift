import Foundation

/// A value sent to or read from PostgreSQL. Arguments travel as text with their type named, so
/// the server never guesses a parameter's type from its context.
public enum PostgresValue: Hashable, Sendable {
  case null
  case integer(Int64)
  case real(Double)
  case text(String)
  case boolean(Bool)

  public var typeName: String {
    switch self {
    case .null: return "NULL"
    case .integer: return "bigint"
    case .real: return "double precision"
    case .text: return "text"
    case .boolean: return "boolean"
    }
  }

  /// The type's object id (`pg_type.oid`); 0 lets the server infer the type of a NULL.
  var typeOID: UInt32 {
    switch self {
    case .null: return 0
    case .integer: return 20
    case .real: return 701
    case .text: return 25
    case .boolean: return 16
    }
  }

  /// The value in PostgreSQL's text format, nil for NULL.
  var textFormat: String? {
    switch self {
    case .null: return nil
    case .integer(let number): return String(number)
    case .real(let number):
      if number.isNaN { return "NaN" }
      if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
      return "\(number)"
    case .text(let text): return text
    case .boolean(let flag): return flag ? "true" : "false"
    }
  }

  /// Reads a column's text by its type: integers, floating point and booleans become numbers
  /// and flags; every other type stays text.
  init(text: String, typeOID: UInt32) {
    switch typeOID {
    case 20, 21, 23, 26:
      self = Int64(text).map(PostgresValue.integer) ?? .text(text)
    case 700, 701, 1700:
      self = Double(text).map(PostgresValue.real) ?? .text(text)
    case 16:
      self = .boolean(text == "t")
    default:
      self = .text(text)
    }
  }
}

/// A Swift type that converts to and from a PostgreSQL value.
public protocol PostgresValueConvertible {
  var postgresValue: PostgresValue { get }
  init?(postgresValue: PostgresValue)
}

/// The arguments of a statement, in placeholder order; nil is NULL.
public typealias PostgresArguments = [(any PostgresValueConvertible)?]

extension PostgresValue: PostgresValueConvertible {
  public var postgresValue: PostgresValue { self }
  public init?(postgresValue: PostgresValue) { self = postgresValue }
}

extension Int64: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .integer(self) }
  public init?(postgresValue: PostgresValue) {
    switch postgresValue {
    case .integer(let value): self = value
    case .real(let value): guard let exact = Int64(exactly: value) else { return nil }; self = exact
    default: return nil
    }
  }
}

extension Int: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .integer(Int64(self)) }
  public init?(postgresValue: PostgresValue) {
    guard let wide = Int64(postgresValue: postgresValue), let value = Int(exactly: wide) else { return nil }
    self = value
  }
}

extension Int32: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .integer(Int64(self)) }
  public init?(postgresValue: PostgresValue) {
    guard let wide = Int64(postgresValue: postgresValue), let value = Int32(exactly: wide) else { return nil }
    self = value
  }
}

extension Bool: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .boolean(self) }
  public init?(postgresValue: PostgresValue) {
    switch postgresValue {
    case .boolean(let value): self = value
    case .integer(let value): self = value != 0
    default: return nil
    }
  }
}

extension Double: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .real(self) }
  public init?(postgresValue: PostgresValue) {
    switch postgresValue {
    case .real(let value): self = value
    case .integer(let value): self = Double(value)
    default: return nil
    }
  }
}

extension String: PostgresValueConvertible {
  public var postgresValue: PostgresValue { .text(self) }
  public init?(postgresValue: PostgresValue) {
    guard case .text(let value) = postgresValue else { return nil }
    self = value
  }
}

extension Optional: PostgresValueConvertible where Wrapped: PostgresValueConvertible {
  public var postgresValue: PostgresValue { map(\.postgresValue) ?? .null }
  public init?(postgresValue: PostgresValue) {
    if case .null = postgresValue {
      self = .none
      return
    }
    guard let value = Wrapped(postgresValue: postgresValue) else { return nil }
    self = .some(value)
  }
}
