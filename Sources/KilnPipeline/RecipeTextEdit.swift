import Foundation
import Yams
import KilnConfiguration
import KilnTraining
import KilnEvaluation
import KilnPromotion
import KilnTuning

/// Minimal edits of a YAML recipe's text: single-line scalar values at key paths are replaced in
/// place, and every other character — comments, blank lines, key order, flow or block layout —
/// stays as written. Positions come from the composed node tree (`Node.mark`, 1-based line and
/// column in characters).
enum RecipeTextEdit {
  /// `text` with the scalar at each key path (e.g. `["files", "train"]`) replaced by its value,
  /// written as a double-quoted YAML string. Nil when the text does not parse, a path is missing or
  /// names no single-line scalar, so the caller can fall back to re-serialising.
  static func replacingScalars(in text: String, _ replacements: [(path: [String], value: String)]) -> String? {
    guard let root = try? Yams.compose(yaml: text) else { return nil }
    var lines = text.components(separatedBy: "\n").map { Array($0.unicodeScalars) }
    var edits: [(line: Int, range: Range<Int>, value: String)] = []
    for (path, value) in replacements {
      var node: Node? = root
      for key in path { node = node?.mapping?[key] }
      guard let scalar = node?.scalar, let mark = scalar.mark, mark.line >= 1, mark.line <= lines.count,
            let range = scalarRange(lines[mark.line - 1], start: mark.column - 1, style: scalar.style) else { return nil }
      edits.append((mark.line - 1, range, quoted(value)))
    }
    // Right to left within a line, so earlier columns stay valid.
    for edit in edits.sorted(by: { ($0.line, $0.range.lowerBound) > ($1.line, $1.range.lowerBound) }) {
      lines[edit.line].replaceSubrange(edit.range, with: Array(edit.value.unicodeScalars))
    }
    return lines.map { line in String(String.UnicodeScalarView(line)) }.joined(separator: "\n")
  }

  /// The characters of the scalar starting at `start` on `line`, or nil when it does not end on that line.
  static func scalarRange(_ line: [Unicode.Scalar], start: Int, style: Node.Scalar.Style) -> Range<Int>? {
    guard start >= 0, start < line.count else { return nil }
    switch style {
    case .doubleQuoted:
      var index = start + 1
      while index < line.count {
        if line[index] == "\\" { index += 2; continue }
        if line[index] == "\"" { return start..<index + 1 }
        index += 1
      }
      return nil
    case .singleQuoted:
      var index = start + 1
      while index < line.count {
        if line[index] == "'" {
          if index + 1 < line.count && line[index + 1] == "'" { index += 2; continue }
          return start..<index + 1
        }
        index += 1
      }
      return nil
    case .plain, .any:
      // A plain scalar ends at a comment, at the end of the line, or (in flow style) at , ] or }.
      var end = start
      while end < line.count {
        let character = line[end]
        if character == "," || character == "]" || character == "}" { break }
        if character == "#" && end > start && (line[end - 1] == " " || line[end - 1] == "\t") { break }
        end += 1
      }
      while end > start && (line[end - 1] == " " || line[end - 1] == "\t") { end -= 1 }
      return end > start ? start..<end : nil
    case .literal, .folded:
      return nil
    }
  }

  /// `value` as a YAML double-quoted scalar.
  static func quoted(_ value: String) -> String {
    var result = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 { result += String(format: "\\x%02X", scalar.value) } else { result.unicodeScalars.append(scalar) }
      }
    }
    return result + "\""
  }
}
