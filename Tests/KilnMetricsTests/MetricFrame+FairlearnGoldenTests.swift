import Foundation
import KilnMetrics
import Testing

/// Checks every field of the fairlearn 0.15 reference cases in `Tests/Fixtures/fairlearn` against
/// `MetricFrame`, to 1e-9. Their README gives their provenance and the conventions matched here.
@Suite struct MetricFrameFairlearnGoldenTests {
  static let tolerance = 1e-9

  static var referenceDirectory: URL {
    URL(fileURLWithPath: #filePath)
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Tests/Fixtures/fairlearn")
  }

  static func caseFiles() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: referenceDirectory.path)) ?? []
    return names.filter { $0.hasSuffix(".json") && $0 != "index.json" }.sorted()
  }

  @Test func everyReferenceCaseListedInTheIndexIsPresent() throws {
    let index = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.referenceDirectory.appendingPathComponent("index.json"))) as? [String: Any]
    let listed = try #require(index?["cases"] as? [[String: Any]]).compactMap { $0["file"] as? String }
    #expect(listed.count >= 12)
    #expect(Set(listed) == Set(Self.caseFiles()))
  }

  @Test(arguments: caseFiles())
  func metricFrameMatchesFairlearnOnEveryField(file: String) throws {
    let data = try Data(contentsOf: Self.referenceDirectory.appendingPathComponent(file))
    let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let inputs = try #require(root["inputs"] as? [String: Any])
    let labels = try #require(inputs["y_true"] as? [Int])
    let predictions = try #require(inputs["y_pred"] as? [Int])
    let scores = (inputs["y_score"] as? [NSNumber])?.map(\.doubleValue)
    let sensitive = try #require(inputs["sensitive"] as? [String: [Any]])
    let expected = try #require(root["expected"] as? [String: Any])
    let featureNames = try #require(expected["sensitive"] as? [String])
    let sections = try #require(expected["sections"] as? [String: [String: Any]])

    let singles = featureNames.map { name in
      Grouping(SensitiveAttribute(name: name, values: sensitive[name]!.map(Self.labelText)))
    }
    var groupings = singles
    if singles.count >= 2 { groupings.append(Grouping(intersecting: singles)) }
    #expect(Set(groupings.map(\.name)) == Set(sections.keys))

    var checker = FieldChecker(tolerance: Self.tolerance)
    for grouping in groupings {
      let section = try #require(sections[grouping.name], "no section \(grouping.name) in \(file)")
      let frame = MetricFrame(labels: labels, predictions: predictions, scores: scores, grouping: grouping)
      try checker.check(frame: frame, against: section, path: "\(file):\(grouping.name)")
    }
    #expect(checker.checkedFields > 50)
    #expect(checker.mismatches.isEmpty, "\(checker.mismatches.prefix(20).joined(separator: "\n"))")
  }

  static func labelText(_ value: Any) -> String {
    if let text = value as? String { return text }
    if let number = value as? NSNumber { return "\(number.intValue)" }
    return "\(value)"
  }
}

/// Compares a frame with one golden section, collecting every mismatch as a path and two values.
struct FieldChecker {
  let tolerance: Double
  var checkedFields = 0
  var mismatches: [String] = []

  mutating func compare(_ actual: Double, _ expected: Any?, _ path: String) {
    checkedFields += 1
    let expectedValue: Double
    switch expected {
    case is NSNull, nil: expectedValue = .nan
    case let text as String: expectedValue = text == "Infinity" ? .infinity : (text == "-Infinity" ? -.infinity : .nan)
    case let number as NSNumber: expectedValue = number.doubleValue
    default: mismatches.append("\(path): unreadable expected value \(String(describing: expected))"); return
    }
    let same = (actual.isNaN && expectedValue.isNaN) || actual == expectedValue || abs(actual - expectedValue) <= tolerance
    if !same { mismatches.append("\(path): kiln \(actual), fairlearn \(expectedValue)") }
  }

  mutating func check(frame: MetricFrame, against section: [String: Any], path: String) throws {
    let groups = try #require(section["groups"] as? [Any])
    let expectedLabels = groups.map { group -> [String] in
      (group as? [Any])?.map(MetricFrameFairlearnGoldenTests.labelText) ?? [MetricFrameFairlearnGoldenTests.labelText(group)]
    }
    if expectedLabels != frame.grouping.groupLabels {
      mismatches.append("\(path).groups: kiln \(frame.grouping.groupLabels), fairlearn \(expectedLabels)")
      return
    }
    for (metricName, value) in try #require(section["overall"] as? [String: Any]) {
      compare(frame.overall(try metric(metricName)), value, "\(path).overall.\(metricName)")
    }
    for (metricName, values) in try #require(section["by_group"] as? [String: [Any]]) {
      let actual = frame.byGroup(try metric(metricName))
      for (group, value) in values.enumerated() {
        compare(actual[group], value, "\(path).by_group.\(metricName)[\(group)]")
      }
    }
    let extremes: [(String, (GroupMetric) -> Double)] = [("group_min", { frame.groupMin($0) }), ("group_max", { frame.groupMax($0) })]
    for (key, statistic) in extremes {
      for (metricName, value) in try #require(section[key] as? [String: Any]) {
        compare(statistic(try metric(metricName)), value, "\(path).\(key).\(metricName)")
      }
    }
    try checkDisparities(frame: frame, section: section, path: path)
    try checkWarnings(frame: frame, section: section, path: path)
  }

  mutating func checkDisparities(frame: MetricFrame, section: [String: Any], path: String) throws {
    for method in DisparityMethod.allCases {
      let disparities: [(String, (GroupMetric, DisparityMethod) -> Double)] = [
        ("difference", { frame.difference($0, method: $1) }), ("ratio", { frame.ratio($0, method: $1) })]
      for (key, statistic) in disparities {
        let table = try #require((section[key] as? [String: Any])?[method.rawValue] as? [String: Any])
        for (metricName, value) in table {
          compare(statistic(try metric(metricName), method), value, "\(path).\(key).\(method.rawValue).\(metricName)")
        }
      }
    }
    let fairness = try #require(section["fairness"] as? [String: [String: Any]])
    for (measureName, byMethod) in fairness {
      let measure = try #require(FairnessMeasure(rawValue: measureName), "unknown measure \(measureName)")
      for method in DisparityMethod.allCases {
        compare(frame.measure(measure, method: method), byMethod[method.rawValue], "\(path).fairness.\(measureName).\(method.rawValue)")
      }
    }
  }

  /// fairlearn's warnings name the zero-denominator cases Kiln marks as undefined: precision
  /// with no predicted positives, ROC AUC with one class. Each must be marked, and vice versa.
  mutating func checkWarnings(frame: MetricFrame, section: [String: Any], path: String) throws {
    let warnings = try #require(section["warnings"] as? [[String: Any]]).compactMap { $0["message"] as? String }
    let nonEmpty = (0..<frame.grouping.groupCount).filter { frame.groupCounts[$0].count > 0 }
    let precisionMarked = nonEmpty.contains { frame.undefinedReason(.precision, group: $0) == .noPredictedPositives }
      || frame.overallUndefinedReason(.precision) == .noPredictedPositives
    let precisionWarned = warnings.contains { $0.hasPrefix("Precision is ill-defined") }
    checkedFields += 2
    if precisionMarked != precisionWarned {
      mismatches.append("\(path).warnings: precision marked undefined \(precisionMarked), fairlearn warned \(precisionWarned)")
    }
    if frame.hasScores {
      let aucMarked = nonEmpty.contains { frame.undefinedReason(.rocAUC, group: $0) == .singleClassPresent }
      let aucWarned = warnings.contains { $0.hasPrefix("Only one class is present") }
      if aucMarked != aucWarned {
        mismatches.append("\(path).warnings: roc_auc marked undefined \(aucMarked), fairlearn warned \(aucWarned)")
      }
    }
  }

  func metric(_ name: String) throws -> GroupMetric {
    try #require(GroupMetric(rawValue: name), "unknown metric \(name)")
  }
}
