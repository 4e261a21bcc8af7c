import Foundation
import KilnMetrics
import Testing
@testable import KilnReport

@Suite struct ModelCardRendererLabelKindTests {
  func regressionCard() -> ModelCardInput {
    var card = sampleCard()
    card.labelKind = "regression"
    card.rocCurve = []
    card.precisionRecallCurve = []
    card.reliability = []
    card.confusion = nil
    card.decisionThreshold = nil
    card.predictedVersusActual = [.init(x: 1, y: 1.2), .init(x: 2, y: 1.8), .init(x: 3, y: 3.3)]
    card.residuals = [.init(x: 1.2, y: -0.2), .init(x: 1.8, y: 0.2), .init(x: 3.3, y: -0.3)]
    return card
  }

  @Test func aRegressionCardDrawsPredictedVersusActualAndResidualsAndNoClassifierPlots() {
    let html = ModelCardRenderer.html(regressionCard())
    for title in ["Predicted vs actual", "Residuals"] { #expect(html.contains("<title>\(title)</title>"), "missing \(title)") }
    #expect(html.components(separatedBy: "<circle").count - 1 == 6)
    for absent in ["ROC curve", "Reliability diagram", "Confusion matrix", "Decision threshold"] {
      #expect(!html.contains(absent), "a regression card shows \(absent)")
    }
    #expect(html.contains("a predicted value in the target"))
    #expect(ModelCardRenderer.markdown(regressionCard()).contains("- Output: a predicted value"))
  }

  @Test func aMulticlassCardTabulatesItsConfusionMatrix() {
    var card = sampleCard()
    card.labelKind = "multiclass"
    card.confusion = .init(labels: ["cat", "dog", "bird"], counts: [[5, 1, 0], [2, 7, 1], [0, 0, 4]])
    let markdown = ModelCardRenderer.markdown(card)
    #expect(markdown.contains("| true \\ predicted | cat | dog | bird |"))
    #expect(markdown.contains("| dog | 2 | 7 | 1 |"))
    #expect(ModelCardRenderer.html(card).contains("<title>Confusion matrix</title>"))
  }

  @Test func aCardWrittenBeforeLabelKindsDecodesAsBinary() throws {
    let encoder = JSONEncoder()
    var object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(sampleCard())) as? [String: Any])
    object.removeValue(forKey: "labelKind")
    let decoded = try JSONDecoder().decode(ModelCardInput.self, from: JSONSerialization.data(withJSONObject: object))
    #expect(decoded.isBinary && decoded.predictedVersusActual == nil)
  }
}
