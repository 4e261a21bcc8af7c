import Foundation
import KilnSQL

/// How values travel to and from the server: as text, each argument with its type named, so the
/// server never guesses a parameter's type from its context.
extension SQLValue {
  /// The type's object id (`pg_type.oid`); 0 lets the server infer the type of a NULL.
  var postgresTypeOID: UInt32 {
    switch self {
    case .null: return 0
    case .integer: return 20
    case .real: return 701
    case .text: return 25
    case .blob: return 17
    case .boolean: return 16
    }
  }

  /// The value in PostgreSQL's text format, nil for NULL.
  var postgresText: String? {
    switch self {
    case .null: return nil
    case .integer(let number): return String(number)
    case .real(let number):
      if number.isNaN { return "NaN" }
      if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
      return "\(number)"
    case .text(let text): return text
    case .blob(let bytes): return "\\x" + bytes.map { String(format: "%02x", $0) }.joined()
    case .boolean(let flag): return flag ? "true" : "false"
    }
  }

  /// Reads a column's text by its type: integers, floating point and booleans become numbers
  /// and flags, `bytea`'s hex format bytes; every other type stays text.
  init(postgresText text: String, typeOID: UInt32) {
    switch typeOID {
    case 20, 21, 23, 26:
      self = Int64(text).map(SQLValue.integer) ?? .text(text)
    case 700, 701, 1700:
      self = Double(text).map(SQLValue.real) ?? .text(text)
    case 16:
      self = .boolean(text == "t")
    case 17:
      self = Self.hexBytes(text).map(SQLValue.blob) ?? .text(text)
    default:
      self = .text(text)
    }
  }

  /// The bytes of `bytea`'s hex output format (`\x00ff…`), nil for any other text.
  private static func hexBytes(_ text: String) -> Data? {
    let digits = Array(text.utf8.dropFirst(2))
    guard text.hasPrefix("\\x"), digits.count.isMultiple(of: 2) else { return nil }
    var bytes = Data(capacity: digits.count / 2)
    for index in stride(from: 0, to: digits.count, by: 2) {
      guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else { return nil }
      bytes.append(byte)
    }
    return bytes
  }
}
