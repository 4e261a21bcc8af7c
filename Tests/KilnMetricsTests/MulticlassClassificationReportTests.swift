import Foundation
@testable import KilnMetrics
import Testing

@Suite struct MulticlassClassificationReportTests {
  let golden = try! LabelKindGolden.named("multiclass_basic")
  var labels: [Int] { golden.inputs["labels"] as! [Int] }
  var probabilities: [[Double]] { (golden.inputs["probabilities"] as! [[NSNumber]]).map { $0.map(\.doubleValue) } }

  func report(seed: UInt64) -> MulticlassClassificationReport {
    var generator = TestGenerator(seed: seed)
    return MulticlassClassificationReport(labels: labels, classProbabilities: probabilities, classNames: ["a", "b", "c"],
                                          bootstrap: BootstrapConfiguration(resamples: 300), using: &generator)
  }

  @Test func everyMetricHasAnIntervalAroundItsValueAndTheSameSeedGivesTheSameIntervals() throws {
    let first = report(seed: 5), second = report(seed: 5), other = report(seed: 6)
    #expect(first == second)
    #expect(first != other)
    for name in MulticlassClassificationReport.metricNames {
      let estimate = try #require(first.metrics[name])
      let interval = try #require(estimate.interval, "\(name) has no interval")
      #expect(interval.lower <= estimate.value && estimate.value <= interval.upper, "\(name): \(estimate.value) outside \(interval)")
      #expect(interval.lower < interval.upper, "\(name): a degenerate interval")
      #expect(interval.undefinedResamples == 0)
    }
  }

  @Test func namedMetricsCarryTheContractNamesAndPerClassValues() {
    let named = report(seed: 1).namedMetrics(split: "test")
    for name in ["test.accuracy", "test.balanced_accuracy", "test.macro_f1", "test.weighted_f1", "test.log_loss", "test.roc_auc_ovr",
                 "test.classes.a.recall", "test.classes.c.f1", "test.classes.b.support"] {
      #expect(named[name] != nil, "missing \(name)")
    }
  }

  @Test func aClassAbsentFromTheLabelsMakesOneVersusRestAUCUndefined() throws {
    let golden = try LabelKindGolden.named("multiclass_class_absent_from_labels")
    var generator = TestGenerator(seed: 3)
    let report = MulticlassClassificationReport(
      labels: golden.inputs["labels"] as! [Int],
      classProbabilities: (golden.inputs["probabilities"] as! [[NSNumber]]).map { $0.map(\.doubleValue) },
      classNames: ["x", "y", "z"], using: &generator)
    #expect(report.metrics["roc_auc_ovr"]?.undefined == .singleClassPresent)
    #expect(report.metrics["roc_auc_ovr"]?.detail?.contains("z") == true)
    #expect(report.perClass["z"]?["recall"]?.undefined == .noPositiveLabels)
    #expect(report.metrics["accuracy"]?.isDefined == true)
  }
}
