/// The one shape of an error about the world (files, input, configuration, runs): what failed,
/// where, what to do, and the failure underneath. Every command prints it the same way on
/// standard error:
///
///     error: WHERE: WHAT
///       hint: WHAT TO DO
///       cause: THE FAILURE UNDERNEATH
///
/// `WHERE` is `file:line:column`, a row, a key path; an error whose message already says where
/// (or that has no place) leaves `location` nil. Conforming types keep their own fields and
/// codes to branch on, and take `description` from here.
public protocol KilnError: Error, CustomStringConvertible {
  /// What failed.
  var message: String { get }
  /// Where: `file:line:column`, a row, a key path, when known and not already in `message`.
  var location: String? { get }
  /// What to do about it.
  var hint: String? { get }
  /// The lower-level failure behind this one, when there is one.
  var cause: (any Error)? { get }
}

extension KilnError {
  public var location: String? { nil }
  public var cause: (any Error)? { nil }

  /// `WHERE: WHAT`, then the hint and the cause on indented lines.
  public var description: String {
    var text = location.map { "\($0): \(message)" } ?? message
    if let hint { text += "\n  hint: \(hint)" }
    if let cause { text += "\n  cause: \(cause)" }
    return text
  }

  /// The fields as a JSON object's members (`error`, `at`, `hint`, `cause`), for `--json`.
  public var fields: [String: String] {
    var fields = ["error": message]
    if let location { fields["at"] = location }
    if let hint { fields["hint"] = hint }
    if let cause { fields["cause"] = "\(cause)" }
    return fields
  }
}
