import Foundation

/// A result a command prints: text for people, or with `--json` one JSON value for programs.
///
/// Every result type a `kiln` command prints conforms, so each command prints with one call
/// (`print(try result.rendered(json: json), terminator: "")`) and `--json` means the same
/// everywhere. JSON keys are snake_case (`KilnCLITests` checks every `--json` output of a project).
public protocol CommandOutput {
  /// The text form: lines, each ending in a newline.
  func text() -> String
  /// The JSON form: one value, keys in snake_case.
  func json() throws -> String
}

extension CommandOutput {
  /// `json()` or `text()`, ending in exactly one newline.
  public func rendered(json: Bool) throws -> String {
    let body = json ? try self.json() : text()
    return body.hasSuffix("\n") ? body : body + "\n"
  }
}

extension CommandOutput where Self: Encodable {
  /// The value in `JSONOutput`'s one form.
  public func json() throws -> String { try JSONOutput.encoded(self) }
}

/// The one JSON form of command output: pretty-printed, keys sorted and in snake_case, slashes
/// unescaped, dates in ISO 8601, and a non-finite number that reaches the encoder written as
/// `"inf"`, `"-inf"` or `"nan"`.
public enum JSONOutput {
  /// `value` as JSON text. Swift property names become snake_case keys (`labelKind` →
  /// `label_kind`); explicit snake_case coding keys and the keys of dictionaries (group, class,
  /// metric and column names) are kept as they are.
  public static func encoded<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
