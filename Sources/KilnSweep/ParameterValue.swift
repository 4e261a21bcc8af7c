import Foundation

/// The value of one hyperparameter in a trial, as stored and as shown in reports.
public enum ParameterValue: Codable, Hashable, Sendable, CustomStringConvertible {
  case float(Double)
  case integer(Int)
  case string(String)
  case bool(Bool)

  /// The numeric value of a float or integer parameter; `nil` for strings and booleans.
  public var numericValue: Double? {
    switch self {
    case .float(let value): return value
    case .integer(let value): return Double(value)
    case .string, .bool: return nil
    }
  }

  public var description: String {
    switch self {
    case .float(let value): return "\(value)"
    case .integer(let value): return "\(value)"
    case .string(let value): return value
    case .bool(let value): return "\(value)"
    }
  }
}

extension ParameterValue {
  private enum CodingKeys: String, CodingKey { case float, integer, string, bool }

  /// Decodes the one-key form written by `encode(to:)`, e.g. `{"float": 0.001}`.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let value = try container.decodeIfPresent(Double.self, forKey: .float) {
      self = .float(value)
    } else if let value = try container.decodeIfPresent(Int.self, forKey: .integer) {
      self = .integer(value)
    } else if let value = try container.decodeIfPresent(String.self, forKey: .string) {
      self = .string(value)
    } else if let value = try container.decodeIfPresent(Bool.self, forKey: .bool) {
      self = .bool(value)
    } else {
      throw DecodingError.dataCorrupted(.init(
        codingPath: decoder.codingPath,
        debugDescription: "a parameter value needs one of the keys float, integer, string or bool"))
    }
  }

  /// Encodes as an object with one key naming the type: `{"integer": 3}`, `{"string": "relu"}`.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .float(let value): try container.encode(value, forKey: .float)
    case .integer(let value): try container.encode(value, forKey: .integer)
    case .string(let value): try container.encode(value, forKey: .string)
    case .bool(let value): try container.encode(value, forKey: .bool)
    }
  }
}

/// A type whose values can be the choices of `Trial.suggestCategorical`.
public protocol CategoricalChoice: Hashable, Sendable {
  /// The stored form of the choice.
  var parameterValue: ParameterValue { get }
  /// The choice from its stored form, or `nil` if it is of another type.
  init?(parameterValue: ParameterValue)
}

extension String: CategoricalChoice {
  public var parameterValue: ParameterValue { .string(self) }
  public init?(parameterValue: ParameterValue) {
    guard case .string(let value) = parameterValue else { return nil }
    self = value
  }
}

extension Int: CategoricalChoice {
  public var parameterValue: ParameterValue { .integer(self) }
  public init?(parameterValue: ParameterValue) {
    guard case .integer(let value) = parameterValue else { return nil }
    self = value
  }
}

extension Double: CategoricalChoice {
  public var parameterValue: ParameterValue { .float(self) }
  public init?(parameterValue: ParameterValue) {
    guard case .float(let value) = parameterValue else { return nil }
    self = value
  }
}

extension Bool: CategoricalChoice {
  public var parameterValue: ParameterValue { .bool(self) }
  public init?(parameterValue: ParameterValue) {
    guard case .bool(let value) = parameterValue else { return nil }
    self = value
  }
}
