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
