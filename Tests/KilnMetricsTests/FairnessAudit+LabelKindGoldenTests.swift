import Foundation
@testable import KilnMetrics
import Testing

/// A case of `Fixtures/label_kind_goldens.json`, written by `Fixtures/make_label_kind_goldens.py`
/// with scikit-learn 1.9 and fairlearn 0.15's `MetricFrame`.
struct LabelKindGolden {
  let name: String
  let kind: String
  let inputs: [String: Any]
  let expected: [String: Any]

  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/label_kind_goldens.json")

  static func all() throws -> [LabelKindGolden] {
    let root = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
    return (root["cases"] as! [[String: Any]]).map {
      LabelKindGolden(name: $0["name"] as! String, kind: $0["kind"] as! String,
                      inputs: $0["inputs"] as! [String: Any], expected: $0["expected"] as! [String: Any])
    }
  }

  static func names(_ kind: String) -> [String] { ((try? all()) ?? []).filter { $0.kind == kind }.map(\.name) }

  static func named(_ name: String) throws -> LabelKindGolden { try #require(try all().first { $0.name == name }) }

  var attributes: [SensitiveAttribute] {
    (inputs["sensitive"] as! [String: [String]]).sorted { $0.key < $1.key }.map { SensitiveAttribute(name: $0.key, values: $0.value) }
  }
  var intersections: [[String]] { inputs["intersections"] as! [[String]] }
  func doubles(_ key: String) -> [Double] { (inputs[key] as! [NSNumber]).map(\.doubleValue) }
  var overall: [String: Double] { (expected["overall"] as! [String: Any]).mapValues(Self.number) }
  var sections: [String: [String: Any]] { expected["sections"] as! [String: [String: Any]] }

  /// JSON null is NaN.
  static func number(_ value: Any) -> Double { (value as? NSNumber)?.doubleValue ?? .nan }
}

/// Both values NaN, or within the tolerance.
func matches(_ actual: Double, _ expected: Double, tolerance: Double = 1e-9) -> Bool {
  (actual.isNaN && expected.isNaN) || abs(actual - expected) <= tolerance
}

@Suite struct FairnessAuditLabelKindGoldenTests {
  @Test(arguments: LabelKindGolden.names("multiclass"))
  func multiclassMetricsMatchScikitLearn(name: String) throws {
    let golden = try LabelKindGolden.named(name)
    let labels = golden.inputs["labels"] as! [Int], predicted = golden.inputs["predicted"] as! [Int]
    let probabilities = (golden.inputs["probabilities"] as! [[NSNumber]]).map { $0.map(\.doubleValue) }
    let classCount = probabilities[0].count
    #expect(MulticlassMetrics.predictedClasses(probabilities) == predicted)
    var generator = TestGenerator(seed: 1)
    let report = MulticlassClassificationReport(labels: labels, classProbabilities: probabilities,
                                                classNames: (0..<classCount).map { "c\($0)" }, using: &generator)
    for (metric, expected) in golden.overall {
      let actual = try #require(report.metrics[metric], "\(name): no \(metric)").value
      #expect(matches(actual, expected), "\(name).\(metric): \(actual) ≠ \(expected)")
    }
    let overall = golden.overall
    #expect(matches(MulticlassMetrics.accuracy(labels: labels, predicted: predicted), overall["accuracy"]!))
    #expect(matches(MulticlassMetrics.balancedAccuracy(labels: labels, predicted: predicted, classCount: classCount), overall["balanced_accuracy"]!))
    #expect(matches(MulticlassMetrics.f1(labels: labels, predicted: predicted, classCount: classCount, average: .macro), overall["macro_f1"]!))
    #expect(matches(MulticlassMetrics.f1(labels: labels, predicted: predicted, classCount: classCount, average: .weighted), overall["weighted_f1"]!))
    #expect(matches(MulticlassMetrics.f1(labels: labels, predicted: predicted, classCount: classCount, average: .micro), overall["micro_f1"]!))
    #expect(matches(MulticlassMetrics.precision(labels: labels, predicted: predicted, classCount: classCount, average: .macro), overall["macro_precision"]!))
    #expect(matches(MulticlassMetrics.recall(labels: labels, predicted: predicted, classCount: classCount, average: .macro), overall["macro_recall"]!))
    #expect(matches(MulticlassMetrics.logLoss(labels: labels, classProbabilities: probabilities), overall["log_loss"]!))
    #expect(MulticlassMetrics.confusionMatrix(labels: labels, predicted: predicted, classCount: classCount)
            == golden.expected["confusion_matrix"] as! [[Int]])
    #expect(report.confusionMatrix == golden.expected["confusion_matrix"] as! [[Int]])
    // scikit-learn refuses OvR ROC AUC when a class is absent from the labels; Kiln marks it undefined.
    #expect((report.metrics["roc_auc_ovr"]!.undefined == nil) == !overall["roc_auc_ovr"]!.isNaN)

    let audit = try FairnessAudit.multiclass(
      labels: labels, predicted: predicted, classCount: classCount, attributes: golden.attributes,
      configuration: FairnessAudit.Configuration(intersections: golden.intersections, bootstrap: nil), using: &generator)
    try expectSections(audit, golden)
  }

  @Test(arguments: LabelKindGolden.names("regression"))
  func regressionMetricsMatchScikitLearn(name: String) throws {
    let golden = try LabelKindGolden.named(name)
    let targets = golden.doubles("targets"), predictions = golden.doubles("predictions")
    var generator = TestGenerator(seed: 2)
    let report = RegressionReport(targets: targets, predictions: predictions, using: &generator)
    for (metric, expected) in golden.overall {
      let actual = try #require(report.metrics[metric], "\(name): no \(metric)").value
      #expect(matches(actual, expected), "\(name).\(metric): \(actual) ≠ \(expected)")
    }
    let overall = golden.overall
    #expect(matches(RegressionMetrics.rootMeanSquaredError(targets: targets, predictions: predictions), overall["rmse"]!))
    #expect(matches(RegressionMetrics.rSquared(targets: targets, predictions: predictions), overall["r2"]!))
    #expect(matches(RegressionMetrics.explainedVariance(targets: targets, predictions: predictions), overall["explained_variance"]!))
    #expect(matches(RegressionMetrics.medianAbsoluteError(targets: targets, predictions: predictions), overall["median_absolute_error"]!))
    #expect(matches(RegressionMetrics.maxError(targets: targets, predictions: predictions), overall["max_error"]!))

    let audit = try FairnessAudit.regression(
      targets: targets, predictions: predictions, attributes: golden.attributes,
      configuration: FairnessAudit.Configuration(intersections: golden.intersections, bootstrap: nil), using: &generator)
    try expectSections(audit, golden)
  }

  /// Every MetricFrame field of every section equals fairlearn's to 1e-9.
  func expectSections(_ audit: FairnessReport, _ golden: LabelKindGolden) throws {
    #expect(Set(audit.sections.map(\.name)) == Set(golden.sections.keys))
    for (sectionName, expected) in golden.sections {
      let section = try #require(audit.section(sectionName))
      let byGroup = expected["by_group"] as! [String: [String: Any]]
      #expect(Set(section.groups.map(\.name)) == Set(byGroup.keys), "\(golden.name) \(sectionName): groups differ")
      for (groupName, values) in byGroup {
        let group = try #require(section.group(groupName))
        for (metric, value) in values {
          let actual = group.metrics[metric]!.value, wanted = LabelKindGolden.number(value)
          #expect(matches(actual, wanted), "\(golden.name) \(sectionName).\(groupName).\(metric): \(actual) ≠ \(wanted)")
        }
      }
      let tables: [(String, (String) -> MetricEstimate?)] = [
        ("overall", { section.overall[$0] }), ("group_min", { section.groupMin[$0] }), ("group_max", { section.groupMax[$0] }),
        ("difference", { section.difference[$0]?.betweenGroups }), ("difference_to_overall", { section.difference[$0]?.toOverall }),
        ("ratio", { section.ratio[$0]?.betweenGroups }), ("ratio_to_overall", { section.ratio[$0]?.toOverall }),
      ]
      for (field, read) in tables {
        for (metric, value) in expected[field] as! [String: Any] {
          let actual = try #require(read(metric), "\(golden.name) \(sectionName).\(field).\(metric) missing").value
          let wanted = LabelKindGolden.number(value)
          #expect(matches(actual, wanted), "\(golden.name) \(sectionName).\(field).\(metric): \(actual) ≠ \(wanted)")
        }
      }
    }
  }
}
