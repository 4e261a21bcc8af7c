/// Escapes text for HTML and SVG element content and attribute values: every string that comes
/// from data or configuration (feature and category names, metric names, descriptions) passes
/// through here before it reaches a report.
public func escapeHTML(_ text: String) -> String {
  var escaped = ""
  escaped.reserveCapacity(text.count)
  for character in text {
    switch character {
    case "&": escaped += "&amp;"
    case "<": escaped += "&lt;"
    case ">": escaped += "&gt;"
    case "\"": escaped += "&quot;"
    case "'": escaped += "&#39;"
    default: escaped.append(character)
    }
  }
  return escaped
}
