import Foundation
@testable import KilnMetrics
import Testing

@Suite struct FairnessAuditTests {
  @Test func reportSectionsCarryTheFairlearnValues() throws {
    let reference = try ReferenceCase("03_intersectional.json")
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: reference.labels, predictions: reference.predictions,
                                          attributes: reference.attributes,
                                          configuration: .init(intersections: [["sex", "race"]], bootstrap: nil), using: &generator)
    #expect(report.sections.map(\.name) == ["sex", "race", "sex&race"])
    for section in ["sex", "race", "sex&race"] {
      for measure in FairnessMeasure.allCases where measure != .predictiveParityDifference && measure != .disparateImpact {
        for method in DisparityMethod.allCases {
          let value = try #require(report.section(section)?.measures?[measure.rawValue]?[method].value)
          #expect(abs(value - reference.fairness(section, measure.rawValue, method.rawValue)) <= 1e-9, "\(section).\(measure).\(method)")
        }
      }
    }
    let cell = try #require(report.section("sex&race")?.group("F&x"))
    #expect(cell.count == 64 && cell.labels == ["F", "x"])
  }

  @Test func zeroDenominatorValuesKeepFairlearnsNumberAndAreMarkedUndefined() throws {
    let reference = try ReferenceCase("04_no_positive_labels.json")
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: reference.labels, predictions: reference.predictions, scores: reference.scores,
                                          attributes: reference.attributes, configuration: .init(bootstrap: nil), using: &generator)
    let section = try #require(report.section("group"))
    let groupB = try #require(section.group("b"))
    #expect(groupB.metrics["true_positive_rate"]?.value == 0)
    #expect(groupB.metrics["true_positive_rate"]?.undefined == .noPositiveLabels)
    #expect(groupB.metrics["roc_auc"]?.value.isNaN == true)
    #expect(groupB.metrics["roc_auc"]?.undefined == .singleClassPresent)
    #expect(groupB.metrics["selection_rate"]?.undefined == nil)
    let opportunity = try #require(section.measures?["equal_opportunity_difference"]?.betweenGroups)
    #expect(abs(opportunity.value - reference.fairness("group", "equal_opportunity_difference", "between_groups")) <= 1e-9)
    #expect(opportunity.undefined == .restsOnUndefinedGroupValue)
    #expect(opportunity.detail?.contains("b.true_positive_rate") == true)
    #expect(section.measures?["demographic_parity_difference"]?.betweenGroups.undefined == nil)
  }

  @Test func zeroOverZeroRatioIsMarkedAndFlagsTheFourFifthsRule() throws {
    let reference = try ReferenceCase("02_all_zero_predictions.json")
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: reference.labels, predictions: reference.predictions,
                                          attributes: reference.attributes, configuration: .init(bootstrap: nil), using: &generator)
    let section = try #require(report.section("group"))
    let ratio = try #require(section.measures?["demographic_parity_ratio"]?.betweenGroups)
    #expect(ratio.value.isNaN && ratio.undefined == .zeroDenominator)
    #expect(section.fourFifthsRule?.flagged == true)
  }

  @Test func smallGroupsAreReportedWithTheirSizeAndLeftOutOfDisparities() throws {
    let reference = try ReferenceCase("05_single_member.json")
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: reference.labels, predictions: reference.predictions,
                                          attributes: reference.attributes,
                                          configuration: .init(minimumGroupSize: 2, bootstrap: nil), using: &generator)
    let section = try #require(report.section("group"))
    #expect(section.insufficientGroups.map(\.name) == ["c"])
    #expect(section.insufficientGroups.first?.count == 1)
    #expect(section.group("c")?.metrics["selection_rate"]?.undefined == .insufficientData)
    let frame = MetricFrame(labels: reference.labels, predictions: reference.predictions, grouping: Grouping(reference.attributes[0]))
    let rates = frame.byGroup(.selectionRate)
    let expected = abs(rates[0] - rates[1])
    #expect(abs(section.measures!["demographic_parity_difference"]!.betweenGroups.value - expected) <= 1e-12)
    #expect(abs(frame.measure(.demographicParityDifference) - expected) > 1e-3, "group c must change the fairlearn value")
  }

  @Test func unknownIntersectionAttributeIsAConfigurationError() throws {
    var generator = TestGenerator(seed: 1)
    #expect(throws: FairnessConfigurationError.self) {
      try FairnessAudit.report(labels: [0, 1], predictions: [0, 1],
                               attributes: [SensitiveAttribute(name: "sex", values: ["F", "M"])],
                               configuration: .init(intersections: [["sex", "race"]]), using: &generator)
    }
    #expect(throws: FairnessConfigurationError.self) {
      try FairnessAudit.report(labels: [0, 1], predictions: [0, 1], attributes: [], using: &generator)
    }
  }

  @Test func namedMetricsAddressMeasuresGroupsAndIntersections() throws {
    let data = SyntheticPredictions(rows: 2_000, seed: 3)
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: data.labels, predictions: data.predictions, scores: data.scores,
                                          attributes: data.attributes,
                                          configuration: .init(intersections: [["sex", "race"]], bootstrap: nil), using: &generator)
    let named = report.namedMetrics()
    let frame = MetricFrame(labels: data.labels, predictions: data.predictions, grouping: Grouping(data.attributes[0]))
    #expect(named["fairness.sex.demographic_parity_difference"]?.value == frame.measure(.demographicParityDifference))
    #expect(named["fairness.sex.demographic_parity_difference.to_overall"]?.value == frame.measure(.demographicParityDifference, method: .toOverall))
    #expect(named["fairness.sex.groups.Female.selection_rate"]?.value == frame.byGroup(.selectionRate)[0])
    #expect(named["fairness.sex&race.groups.Female&a.roc_auc"] != nil)
    #expect(named["fairness.race.equalized_odds_difference"] != nil)
    #expect(named["fairness.sex.four_fifths_rule.flagged"] != nil)
  }

  @Test func reportRoundTripsThroughJSONWithNaNAsNull() throws {
    let reference = try ReferenceCase("02_all_zero_predictions.json")
    var generator = TestGenerator(seed: 1)
    let report = try FairnessAudit.report(labels: reference.labels, predictions: reference.predictions,
                                          attributes: reference.attributes,
                                          configuration: .init(bootstrap: BootstrapConfiguration(resamples: 50)), using: &generator)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(report)
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"demographic_parity_ratio\":{\"between_groups\":{\"detail\""))
    #expect(text.contains("\"value\":null"))
    let decoded = try JSONDecoder().decode(FairnessReport.self, from: data)
    #expect(decoded == report)
  }
}
