import Foundation
import KilnOutput
import KilnTracking

/// The result of a command that does one thing (writes a file, moves a stage): its lines for
/// people, and the same facts as one JSON object with `--json`.
struct Outcome: CommandOutput {
  var lines: [String]
  var facts: [String: JSONValue]

  func text() -> String { lines.map { $0 + "\n" }.joined() }
  func json() throws -> String { try JSONOutput.encoded(facts) }
}

/// Prints a command's result: its JSON with `--json`, else its text.
func emit(_ output: some CommandOutput, json: Bool) throws {
  print(try output.rendered(json: json), terminator: "")
}
