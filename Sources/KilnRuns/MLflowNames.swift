/// Kiln's metric, parameter and tag names as MLflow accepts them, and back.
///
/// MLflow allows only letters, digits, `_ - . / :` and spaces in these names (its pattern
/// `^[/\w.\- :]*$`), and no name that a path would normalise to something else (`a//b`, `./a`,
/// `..`). Kiln's names may hold any text, such as `fairness.sex&race.overall.calibration_error`.
/// The mapping keeps ASCII letters and digits, `_`, `-`, `.`, `/` and spaces, and writes every
/// other character, `:` included, as `:` and two lower-case hex digits per UTF-8 byte:
///
///     fairness.sex&race.overall.calibration_error  →  fairness.sex:26race.overall.calibration_error
///     ratio:max                                     →  ratio:3amax
///
/// Because `:` only ever starts an escape, `decoded` undoes `encoded` for every name. A name
/// whose `/`s would make an empty, `.` or `..` path component has its `/`s escaped as well, and
/// one that would still be refused (`..`, `..x`) its dots too. (MLflow on Windows refuses `:`.)
public enum MLflowNames {
  /// The name as MLflow accepts it.
  public static func encoded(_ name: String) -> String {
    var result = escaping(name) { isKept($0) }
    if isRefused(result) { result = escaping(name) { isKept($0) && $0 != UInt8(ascii: "/") } }
    if isRefused(result) { result = escaping(name) { isKept($0) && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: ".") } }
    return result
  }

  /// Whether MLflow refuses `name` as a path that normalises to another (its `path_not_unique`).
  private static func isRefused(_ name: String) -> Bool {
    name.hasPrefix("/") || name.hasPrefix("..")
      || name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
  }

  /// The Kiln name an encoded name stands for; text that is not a valid escape stays as it is.
  public static func decoded(_ name: String) -> String {
    let bytes = Array(name.utf8)
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      if bytes[index] == UInt8(ascii: ":"), index + 2 < bytes.count,
         let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
        result.append(high << 4 | low)
        index += 3
      } else {
        result.append(bytes[index])
        index += 1
      }
    }
    return String(decoding: result, as: UTF8.self)
  }

  private static func isKept(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
    case UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "/"), UInt8(ascii: " "): return true
    default: return false
    }
  }

  private static func escaping(_ name: String, keeping kept: (UInt8) -> Bool) -> String {
    var result = ""
    for byte in name.utf8 {
      if kept(byte) {
        result.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        result += ":" + String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
      }
    }
    return result
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    default: return nil
    }
  }
}
