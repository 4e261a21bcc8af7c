import Foundation
import Testing

/// One owner per concept, checked over Sources/: a concept with a second owner would let the two
/// drift apart (two tables of metric directions once disagreed on `false_positive_rate`).
@Suite struct OneOwnerTests {
  /// Every Swift file under Sources/, by its path from the repository, with its lines.
  static func sources() throws -> [(path: String, lines: [Substring])] {
    let root = CrashSiteTests.repository
    let files = try #require(FileManager.default.enumerator(at: root.appendingPathComponent("Sources"), includingPropertiesForKeys: nil))
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    return try files.map { file in
      (String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1)),
       try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false))
    }
  }

  /// Lines outside `owner` (a folder or file prefix) that match `pattern`, as `path:line: text`.
  static func sites(matching pattern: String, outside owner: String) throws -> [String] {
    let expression = try NSRegularExpression(pattern: pattern)
    var found: [String] = []
    for (path, lines) in try sources() where !path.hasPrefix(owner) {
      for (index, line) in lines.enumerated() {
        let text = String(line)
        if expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil {
          found.append("\(path):\(index + 1): \(text.trimmingCharacters(in: .whitespaces))")
        }
      }
    }
    return found
  }

  @Test func metricDirectionsHaveOneTable() throws {
    // A second direction type, or a second set of maximise/minimise cases.
    let types = try Self.sites(matching: #"(enum|struct)\s+\w*Direction\b|case\s+(maximize|minimize|higherIsBetter|lowerIsBetter)\b"#,
                               outside: "Sources/KilnMetricDirection/")
    #expect(types.isEmpty, "direction types outside KilnMetricDirection:\n\(types.joined(separator: "\n"))")
  }

  @Test func theStoreIsReachedThroughItsProtocolsOnly() throws {
    // The SQLite store is opened by the tracker (its embedded default) and known nowhere else.
    let sites = try Self.sites(matching: #"\bSQLiteTrackingStore\b"#, outside: "Sources/KilnTracking/")
    #expect(sites.isEmpty, "the concrete store named outside KilnTracking:\n\(sites.joined(separator: "\n"))")
    let downcasts = try Self.sites(matching: #"\bas[?!]\s+\w*Store\b"#, outside: "Sources/KilnTracking/SQLiteTrackingStore")
    #expect(downcasts.isEmpty, "downcasts to a concrete store:\n\(downcasts.joined(separator: "\n"))")
  }
}
