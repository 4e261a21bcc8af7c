@testable import KilnMetrics
import Testing

@Suite struct FairnessAuditMetricsTests {
  func regressionAudit(minimumGroupSize: Int = 1, resamples: Int = 200, seed: UInt64 = 4) throws -> FairnessReport {
    let golden = try LabelKindGolden.named("regression_basic")
    var generator = TestGenerator(seed: seed)
    return try FairnessAudit.regression(
      targets: golden.doubles("targets"), predictions: golden.doubles("predictions"), attributes: golden.attributes,
      configuration: FairnessAudit.Configuration(intersections: golden.intersections, minimumGroupSize: minimumGroupSize,
                                                 bootstrap: BootstrapConfiguration(resamples: resamples)),
      using: &generator)
  }

  @Test func regressionDisparitiesHaveIntervalsAndContractNames() throws {
    let audit = try regressionAudit()
    let named = audit.namedMetrics()
    for name in ["fairness.sex.mae_difference", "fairness.sex.mae_ratio", "fairness.sex.rmse_difference",
                 "fairness.sex.mean_prediction_difference", "fairness.sex.mae_difference.to_overall",
                 "fairness.sex&race.groups.Female&a.rmse", "fairness.race.group_max.mae", "fairness.sex.overall.r2"] {
      #expect(named[name] != nil, "missing \(name)")
    }
    let difference = try #require(named["fairness.sex.mae_difference"])
    let interval = try #require(difference.interval)
    #expect(difference.isDefined && interval.lower <= interval.upper)
    #expect(try regressionAudit() == audit)
  }

  @Test func aSingleMemberGroupHasUndefinedRSquaredAndTheDisparityRestingOnItSaysSo() throws {
    let audit = try regressionAudit()
    let race = try #require(audit.section("race"))
    let single = try #require(race.group("c"))
    #expect(single.count == 1)
    #expect(single.metrics["r2"]?.undefined == .tooFewRows)
    #expect(single.metrics["mae"]?.isDefined == true)
    #expect(race.difference["r2"]?.betweenGroups.undefined == .restsOnUndefinedGroupValue)
    #expect(race.difference["mae"]?.betweenGroups.isDefined == true)
  }

  @Test func groupsBelowTheMinimumSizeAreReportedButLeftOutOfDisparities() throws {
    let audit = try regressionAudit(minimumGroupSize: 2)
    let race = try #require(audit.section("race"))
    #expect(race.group("c")?.status == .insufficientData)
    #expect(race.group("c")?.metrics["mae"]?.undefined == .insufficientData)
    #expect(race.difference["r2"]?.betweenGroups.isDefined == true)
    let intersection = try #require(audit.section("sex&race"))
    #expect(intersection.groups.contains { $0.status == .empty && $0.count == 0 })
  }

  @Test func multiclassAuditStratifiesByClassAndNamesAccuracyAndMacroF1Disparities() throws {
    let golden = try LabelKindGolden.named("multiclass_basic")
    var generator = TestGenerator(seed: 8)
    let audit = try FairnessAudit.multiclass(
      labels: golden.inputs["labels"] as! [Int], predicted: golden.inputs["predicted"] as! [Int], classCount: 3,
      attributes: golden.attributes, configuration: FairnessAudit.Configuration(bootstrap: BootstrapConfiguration(resamples: 200)),
      using: &generator)
    let named = audit.namedMetrics()
    for name in ["fairness.sex.accuracy_difference", "fairness.sex.accuracy_ratio", "fairness.sex.macro_f1_difference",
                 "fairness.sex.balanced_accuracy_ratio.to_overall"] {
      #expect(named[name]?.interval != nil, "missing \(name) or its interval")
    }
    // Stratified by cell × class, each group keeps its size: a group's accuracy moves in steps of 1/size.
    let female = try #require(audit.section("sex")?.group("Female"))
    let interval = try #require(female.metrics["accuracy"]?.interval)
    #expect(interval.undefinedResamples == 0)
    #expect(audit.kind == "multiclass" && audit.metrics ?? [] == ["accuracy", "balanced_accuracy", "macro_f1"])
  }

  @Test func aSingleGroupHasNoDisparity() throws {
    let golden = try LabelKindGolden.named("regression_single_group")
    var generator = TestGenerator(seed: 2)
    let audit = try FairnessAudit.regression(targets: golden.doubles("targets"), predictions: golden.doubles("predictions"),
                                                   attributes: golden.attributes, using: &generator)
    let section = try #require(audit.sections.first)
    #expect(section.difference["mae"]?.betweenGroups.value == 0)
    #expect(section.ratio["mae"]?.betweenGroups.value == 1)
  }

  @Test func noAttributeIsAConfigurationError() {
    var generator = TestGenerator(seed: 1)
    #expect(throws: FairnessConfigurationError.self) {
      try FairnessAudit.regression(targets: [1, 2], predictions: [1, 2], attributes: [], using: &generator)
    }
  }
}
