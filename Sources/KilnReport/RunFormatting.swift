import Foundation
import KilnTracking

/// Shared text forms of run values for listings, reports and exports.
package enum RunFormatting {
  /// A value to four significant digits (`0.8612`, `256`, `1.2e-05`), without a formatter per call:
  /// listings format tens of thousands of values.
  package static func number(_ value: Double?) -> String {
    guard let value else { return "-" }
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == value.rounded(), abs(value) < 1e12 { return String(Int64(value)) }
    let magnitude = abs(value)
    guard magnitude >= 1e-4, magnitude < 1e6 else { return String(format: "%.4g", value) }
    let exponent = Int(log10(magnitude).rounded(.down))
    let scale = pow(10.0, Double(3 - exponent))
    let rounded = (value * scale).rounded() / scale
    return rounded == rounded.rounded() ? String(Int64(rounded)) : "\(rounded)"
  }

  /// `yyyy-MM-dd HH:mm:ss` in UTC (formatted by hand: a formatter per row would dominate listings).
  package static func time(_ date: Date?) -> String {
    guard let date else { return "-" }
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
  }

  static let isoFormatter: ISO8601DateFormatter = {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter
  }()

  package static func isoTime(_ date: Date?) -> JSONValue {
    guard let date else { return .null }
    return .string(isoFormatter.string(from: date))
  }

  package static func duration(_ run: RunRecord) -> String {
    guard let end = run.endTime else { return "-" }
    let seconds = end.timeIntervalSince(run.startTime)
    func tenths(_ value: Double, _ unit: String) -> String {
      let count = Int((value * 10).rounded())
      return "\(count / 10).\(count % 10)\(unit)"
    }
    if seconds < 60 { return tenths(seconds, "s") }
    if seconds < 3600 { return tenths(seconds / 60, "m") }
    return tenths(seconds / 3600, "h")
  }

  package static func shortID(_ id: String) -> String { String(id.prefix(8)) }

  /// A sparkline of `values` with the eight block characters ▁▂▃▄▅▆▇█.
  package static func sparkline(_ values: [Double]) -> String {
    let blocks = Array("▁▂▃▄▅▆▇█")
    let finite = values.filter(\.isFinite)
    guard let low = finite.min(), let high = finite.max() else { return "" }
    return String(values.map { value -> Character in
      guard value.isFinite else { return " " }
      if high == low { return blocks[3] }
      let index = Int(((value - low) / (high - low) * Double(blocks.count - 1)).rounded())
      return blocks[min(max(index, 0), blocks.count - 1)]
    })
  }

  package static func json(_ value: JSONValue, pretty: Bool = true) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
  }

  /// The run's identity as a JSON object (no metrics).
  package static func summary(_ run: RunRecord) -> [String: JSONValue] {
    [
      "id": .string(run.id), "experiment": .string(run.experiment), "name": .string(run.name),
      "status": .string(run.status.rawValue), "start_time": isoTime(run.startTime), "end_time": isoTime(run.endTime),
      "parent": run.parentID.map(JSONValue.string) ?? .null,
      "seed": run.seed.map { .number(Double($0)) } ?? .null,
      "configuration_hash": .string(run.configurationHash),
      "git_commit": run.sourceVersion.map { .string($0.commit) } ?? .null,
      "git_dirty": run.sourceVersion.map { .bool($0.isDirty) } ?? .null,
    ]
  }
}
