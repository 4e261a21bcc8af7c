import Foundation

/// A JSON document as a value: the form in which a run's resolved configuration and an audit
/// event's payload are stored.
public enum JSONValue: Codable, Equatable, Sendable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() { self = .null }
    else if let value = try? container.decode(Bool.self) { self = .bool(value) }
    else if let value = try? container.decode(Double.self) { self = .number(value) }
    else if let value = try? container.decode(String.self) { self = .string(value) }
    else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
    else { self = .object(try container.decode([String: JSONValue].self)) }
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .string(let value): try container.encode(value)
    case .array(let value): try container.encode(value)
    case .object(let value): try container.encode(value)
    }
  }

  /// The value encoded as JSON text with sorted keys, so equal values give equal text.
  public var canonicalText: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(self) else { return "null" }
    return String(decoding: data, as: UTF8.self)
  }

  /// Parses JSON text into a value.
  public static func parse(_ text: String) throws -> JSONValue {
    try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
  }

  /// Encodes any `Encodable` value (for example a configuration struct) as a JSON value.
  public init<T: Encodable>(encoding value: T) throws {
    let data = try JSONEncoder().encode(value)
    self = try JSONDecoder().decode(JSONValue.self, from: data)
  }

  /// The value's leaves under dotted keys: `{"training": {"batch_size": 256}}` gives
  /// `["training.batch_size": "256"]`. Arrays are kept whole, as JSON text.
  public func flattened() -> [String: String] {
    var result: [String: String] = [:]
    flatten(into: &result, prefix: "")
    return result
  }

  private func flatten(into result: inout [String: String], prefix: String) {
    if case .object(let members) = self, !members.isEmpty {
      for (key, value) in members {
        value.flatten(into: &result, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
      }
    } else if !prefix.isEmpty {
      result[prefix] = parameterText
    }
  }

  /// The text of a leaf as a parameter value: strings bare, integers without a fraction.
  public var parameterText: String {
    switch self {
    case .null: return "null"
    case .bool(let value): return value ? "true" : "false"
    case .number(let value): return JSONValue.format(value)
    case .string(let value): return value
    case .array, .object: return canonicalText
    }
  }

  /// Formats a number the way it is shown and stored as a parameter: `256`, `0.001`.
  public static func format(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
  }
}
