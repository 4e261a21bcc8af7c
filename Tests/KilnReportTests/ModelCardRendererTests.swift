import Foundation
import KilnMetrics
import Testing
@testable import KilnReport

@Suite struct ModelCardRendererTests {
  @Test func htmlEscapesEveryStringFromData() {
    let html = ModelCardRenderer.html(sampleCard())
    #expect(!html.contains("<script"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("income &gt; 50K &amp; flags"))
  }

  @Test func htmlIsSelfContained() {
    let html = ModelCardRenderer.html(sampleCard())
    for external in ["http://", "https://", "src=", "<link", "@import"] where external != "http://" {
      #expect(!html.contains(external), "found \(external)")
    }
    // The only URL is the SVG namespace, which browsers never fetch.
    #expect(html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1)
  }

  @Test func htmlDrawsEveryPlot() {
    let html = ModelCardRenderer.html(sampleCard())
    for title in ["Learning curve (per step)", "Learning curves (per epoch)", "ROC curve", "Precision–recall curve",
                  "Reliability diagram", "Confusion matrix", "selection_rate by sex", "Robustness: gaussian_noise"] {
      #expect(html.contains("<title>\(title)</title>"), "missing plot \(title)")
    }
    #expect(!html.contains("class=\"missing\""))
  }

  @Test func aCardWithoutEvaluationCurvesSaysSoInsteadOfDrawingEmptyPlots() {
    var card = sampleCard()
    card.rocCurve = []
    card.robustness = []
    let html = ModelCardRenderer.html(card)
    #expect(html.contains("ROC curve: not computed by the evaluation"))
    #expect(html.contains("Robustness curves: not computed by the evaluation"))
  }

  @Test func markdownFollowsTheModelCardSectionsAndEscapesTags() {
    let markdown = ModelCardRenderer.markdown(sampleCard())
    for section in ["## Model details", "## Intended use", "## Factors", "## Metrics", "## Evaluation data", "## Training data",
                    "## Quantitative analyses", "## Ethical considerations", "## Caveats and recommendations"] {
      #expect(markdown.contains(section), "missing \(section)")
    }
    #expect(markdown.contains("| test.accuracy | 0.8400 | [0.8100, 0.8700] | ≥ 0.8000 (value): pass |"))
    #expect(markdown.contains("| sex | &lt;script&gt;alert(1)&lt;/script&gt; | 3 | undefined ("))
  }

  @Test func jsonUsesModelCardToolkitFieldsWithGateThresholds() throws {
    let object = try #require(JSONSerialization.jsonObject(with: Data(ModelCardRenderer.json(sampleCard()).utf8)) as? [String: Any])
    #expect(Set(object.keys) == ["schema_version", "model_details", "model_parameters", "quantitative_analysis", "considerations"])
    let analysis = try #require(object["quantitative_analysis"] as? [String: Any])
    #expect(analysis["gate_decision"] as? String == sampleCard().decision?.verdict.rawValue)
    let metrics = try #require(analysis["performance_metrics"] as? [[String: Any]])
    let accuracy = try #require(metrics.first { $0["type"] as? String == "test.accuracy" })
    #expect(accuracy["value"] as? String == "0.84")
    #expect(accuracy["slice"] as? String == "overall")
    #expect((accuracy["confidence_interval"] as? [String: String])?["lower_bound"] == "0.81")
    #expect(accuracy["threshold"] as? Double == 0.8)
    #expect(accuracy["passed"] as? Bool == true)
    let auc = try #require(metrics.first { $0["type"] as? String == "test.roc_auc" })
    #expect(auc["passed"] as? Bool == false)
    let considerations = try #require(object["considerations"] as? [String: Any])
    #expect((considerations["ethical_considerations"] as? [[String: String]])?.first?["mitigation_strategy"] == "Gates on disparity")
  }

  @Test func renderingIsDeterministicApartFromTheTimestamp() {
    let first = sampleCard(), second = sampleCard(generated: Date(timeIntervalSince1970: 1_900_000_000))
    #expect(ModelCardRenderer.html(first) == ModelCardRenderer.html(sampleCard()))
    #expect(ModelCardRenderer.json(first) == ModelCardRenderer.json(sampleCard()))
    func stripped(_ text: String) -> String {
      text.replacingOccurrences(of: ModelCardRenderer.date(first.generatedTime), with: "T")
        .replacingOccurrences(of: ModelCardRenderer.date(second.generatedTime), with: "T")
    }
    #expect(stripped(ModelCardRenderer.html(first)) == stripped(ModelCardRenderer.html(second)))
    #expect(stripped(ModelCardRenderer.markdown(first)) == stripped(ModelCardRenderer.markdown(second)))
  }

  @Test func theGroupTableListsEmptyCellsAndNoIntervalForUndefinedValues() throws {
    var card = sampleCard()
    let degenerate = ConfidenceInterval(lower: 0, upper: 0, level: 0.95, resamples: 200, undefinedResamples: 200)
    let interval = ConfidenceInterval(lower: 0.85, upper: 0.95, level: 0.95, resamples: 200, undefinedResamples: 0)
    card.groupMetrics = [
      .init(attribute: "race×sex", group: "Other×Female", count: 0, metric: "accuracy", estimate: MetricEstimate(value: .nan, undefined: .emptyGroup)),
      .init(attribute: "race×sex", group: "Other×Female", count: 0, metric: "false_positive_rate", estimate: MetricEstimate(value: .nan, undefined: .emptyGroup)),
      .init(attribute: "race×sex", group: "White×Male", count: 40, metric: "accuracy", estimate: MetricEstimate(value: 0.9, interval: interval)),
      .init(attribute: "race×sex", group: "White×Male", count: 40, metric: "false_positive_rate",
            estimate: MetricEstimate(value: .nan, undefined: .noNegativeLabels, interval: degenerate)),
    ]
    let markdown = ModelCardRenderer.markdown(card)
    #expect(markdown.contains("| attribute | group | n | accuracy | false_positive_rate |"))
    #expect(markdown.contains("| race×sex | Other×Female | 0 | no rows | no rows |"))
    #expect(markdown.contains("| race×sex | White×Male | 40 | 0.9000 [0.8500, 0.9500] | undefined ("))
    #expect(!markdown.contains("[0.0000, 0.0000]"))
    let html = ModelCardRenderer.html(card)
    #expect(html.contains("<td class=\"number\">no rows</td>") && !html.contains("[0.0000, 0.0000]"))
    let document = ModelCardRenderer.document(card)
    let fpr = try #require(document.quantitativeAnalysis.performanceMetrics.first { $0.type == "false_positive_rate" && $0.slice.contains("White") })
    #expect(fpr.confidenceInterval == nil)
  }

  @Test func onlyADisparityWithoutBCaIsFlagged() {
    var card = sampleCard()
    let interval = { (method: ConfidenceInterval.Method) in
      ConfidenceInterval(lower: 0.038, upper: 0.552, level: 0.95, resamples: 200, undefinedResamples: 0, method: method)
    }
    card.metrics = ["fairness.sex.predictive_parity_difference": MetricEstimate(value: 0.029, interval: interval(.percentileBCaUndefined)),
                    "fairness.sex.demographic_parity_difference": MetricEstimate(value: 0.1, interval: interval(.bca))]
    let markdown = ModelCardRenderer.markdown(card)
    #expect(markdown.contains("| fairness.sex.predictive_parity_difference | 0.0290 | [0.0380, 0.5520] (percentile: BCa undefined) |"))
    #expect(markdown.contains("| fairness.sex.demographic_parity_difference | 0.1000 | [0.0380, 0.5520] |"))
  }

  @Test func aMitigatedCardsJSONCarriesTheMitigationTheValuesBeforeItAndTheRiskItAddresses() throws {
    let object = try #require(JSONSerialization.jsonObject(with: Data(ModelCardRenderer.json(mitigatedSampleCard()).utf8)) as? [String: Any])
    let analysis = try #require(object["quantitative_analysis"] as? [String: Any])
    let mitigation = try #require(analysis["mitigation"] as? [String: String])
    #expect(mitigation == ["summary": "group thresholds for sex under equalized_odds, fitted on validation",
                           "accuracy_metric": "test.accuracy", "disparity_metric": "fairness.sex.equalized_odds_difference"])
    let metrics = try #require(analysis["performance_metrics"] as? [[String: Any]])
    let before = metrics.filter { ($0["slice"] as? String)?.hasPrefix("before mitigation: ") == true }
    #expect(before.count == 3)
    #expect(before.contains { $0["type"] as? String == "fairness.sex.equalized_odds_difference" && $0["value"] as? String == "0.1035"
      && $0["slice"] as? String == "before mitigation: overall" })
    #expect(before.contains { $0["type"] as? String == "true_positive_rate" && $0["slice"] as? String == "before mitigation: sex=Female" })
    let risks = try #require((object["considerations"] as? [String: Any])?["ethical_considerations"] as? [[String: String]])
    #expect(risks.count == 2)
    #expect(risks.last?["name"] == "Disparity in fairness.sex.equalized_odds_difference")
    let strategy = try #require(risks.last?["mitigation_strategy"])
    #expect(strategy.hasPrefix("group thresholds for sex under equalized_odds"))
    #expect(strategy.contains("fairness.sex.equalized_odds_difference 0.1035 before, 0.0216 after"))
    // An unmitigated card has none of it.
    let plain = try #require(JSONSerialization.jsonObject(with: Data(ModelCardRenderer.json(sampleCard()).utf8)) as? [String: Any])
    #expect((plain["quantitative_analysis"] as? [String: Any])?["mitigation"] == nil)
  }
}
