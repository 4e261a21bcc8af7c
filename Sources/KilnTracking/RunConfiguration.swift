import KilnCrypto
import Foundation

/// A run's full resolved configuration: its text (stored whole), its flattened dotted parameters
/// and the SHA-256 of the text, so runs with the same configuration can be found.
public struct RunConfiguration: Sendable, Equatable {
  /// The configuration as written (YAML or JSON); stored whole with the run.
  public var text: String
  /// Flattened dotted keys (`training.optimizer.lr`) and their values as text.
  public var parameters: [String: String]

  /// A configuration from its text and the parameters flattened from it.
  public init(text: String, parameters: [String: String]) {
    self.text = text
    self.parameters = parameters
  }

  /// A configuration given as a JSON value: the text is its canonical JSON, the parameters its
  /// flattened leaves.
  public init(json: JSONValue) {
    self.init(text: json.canonicalText, parameters: json.flattened())
  }

  /// A configuration from any `Encodable` value, through its JSON encoding.
  public init<T: Encodable>(encoding value: T) throws {
    self.init(json: try JSONValue(encoding: value))
  }

  /// No configuration.
  public static let empty = RunConfiguration(text: "", parameters: [:])

  /// The SHA-256 of `text`, as lowercase hexadecimal.
  public var hash: String { SHA256.hexDigest(text.utf8) }
}

