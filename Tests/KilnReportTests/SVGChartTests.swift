import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import KilnReport

/// Parses `svg` as XML; returns the parser's error, if any.
private func xmlError(_ svg: String) -> Error? {
  let parser = XMLParser(data: Data(svg.utf8))
  return parser.parse() ? nil : (parser.parserError ?? NSError(domain: "xml", code: 1))
}

private let hostile = "<script>alert(1)</script>"

@Suite struct SVGChartTests {
  @Test func chartsAreWellFormedXMLEvenWithHostileLabels() {
    let charts = [
      SVGChart.lines([.init(name: hostile, points: [(0, 0), (0.5, 0.8), (1, 1)])], title: hostile, xLabel: "FPR", yLabel: "TPR",
                     xRange: 0...1, yRange: 0...1, diagonal: true),
      SVGChart.bars([.init(label: hostile, value: 0.3, lower: 0.25, upper: 0.35), .init(label: "b", value: 0, note: "n = 3")],
                    title: "selection rate", yLabel: "rate", reference: (hostile, 0.2)),
      SVGChart.matrix([[50, 5], [7, 38]], rowLabels: ["0", hostile], columnLabels: ["0", "1"], title: "confusion"),
      SVGChart.pairedHistogram(binLabels: [hostile, "b"], reference: [0.4, 0.6], current: [0.5, 0.5], title: "age"),
    ]
    for chart in charts {
      #expect(xmlError(chart) == nil)
      #expect(!chart.contains("<script>"))
      #expect(chart.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }
    #expect(charts[0].contains("&lt;script&gt;"))
  }

  @Test func aLineChartMapsPointsIntoThePlotArea() {
    let svg = SVGChart.lines([.init(name: "roc", points: [(0, 0), (1, 1)])], title: "t", xLabel: "x", yLabel: "y", xRange: 0...1, yRange: 0...1)
    // (0,0) is the bottom-left corner of the plot area, (1,1) the top-right.
    let left = SVGChart.left, bottom = SVGChart.height - SVGChart.bottom
    let right = SVGChart.width - SVGChart.right, top = SVGChart.top
    #expect(svg.contains("points=\"\(SVGChart.number(left)),\(SVGChart.number(bottom)) \(SVGChart.number(right)),\(SVGChart.number(top))\""))
  }

  @Test func chartsAreDeterministic() {
    let make = { SVGChart.bars([.init(label: "Female", value: 0.11, lower: 0.1, upper: 0.12), .init(label: "Male", value: 0.31)], title: "t", yLabel: "y") }
    #expect(make() == make())
  }

  @Test func ticksAreRoundNumbersCoveringTheRange() {
    let unit = SVGChart.ticks(0, 1)
    #expect(unit.count == 6)
    for (tick, expected) in zip(unit, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { #expect(abs(tick - expected) < 1e-9) }
    let ticks = SVGChart.ticks(0.03, 0.97)
    #expect(ticks.first! >= 0.03 && ticks.last! <= 0.97)
    #expect(SVGChart.tickLabel(0.2) == "0.2")
    #expect(SVGChart.tickLabel(3) == "3")
  }

  @Test func escapingCoversMarkupAndQuotes() {
    #expect(escapeHTML("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
  }

  @Test func barLabelsAreWrappedOrRotatedNeverTruncated() {
    let short = SVGChart.bars([.init(label: "Female×Black", value: 0.3), .init(label: "Male×White", value: 0.4)], title: "t", yLabel: "y")
    #expect(short.contains(">Female×</tspan>") || short.contains(">Female×Black</tspan>"))
    #expect(!short.contains("…") && !short.contains("rotate(-45"))
    let groups = ["Amer-Indian-Eskimo×Female", "Asian-Pac-Islander×Male", "Black×Female", "White×Male", "Other×Female", "Other×Male",
                  "Black×Male", "White×Female", "Amer-Indian-Eskimo×Male", "Asian-Pac-Islander×Female", "Unknown×Female", "Unknown×Male"]
    let many = SVGChart.bars(groups.map { .init(label: $0, value: 0.5) }, title: "t", yLabel: "y")
    #expect(!many.contains("…"))
    for group in groups {
      let pieces = SVGChart.wrap(group, width: 1000)
      #expect(many.contains(">\(group)<") || pieces.allSatisfy { many.contains($0) }, "\(group)")
    }
    #expect(SVGChart.wrap("Amer-Indian-Eskimo×Female", width: 12) == ["Amer-Indian-", "Eskimo×", "Female"])
  }

  @Test func confusionMatrixClassNamesAreWrappedNeverCut() throws {
    let classes = ["Never-worked", "Self-emp-not-inc", "State-gov", "Withoutpayinglongword"]
    let counts = classes.indices.map { row in classes.indices.map { $0 == row ? 40 : 3 } }
    let svg = SVGChart.matrix(counts, rowLabels: classes, columnLabels: classes, title: "Confusion matrix")
    #expect(xmlError(svg) == nil)
    #expect(!svg.contains("…"))
    for name in classes {
      // Each name appears whole, or as the pieces it wraps into, once as a row and once as a column.
      let pieces = SVGChart.wrap(name, width: 14)
      #expect(pieces.allSatisfy { piece in svg.components(separatedBy: ">\(piece)<").count - 1 >= 1 }, "\(name): \(pieces)")
    }
    #expect(svg.contains(">Withoutpayinglongword</tspan>"), "a name without break points stays whole")
  }

  @Test func legendNamesAreWrappedNeverCut() throws {
    let name = "accuracy Amer-Indian-Eskimo×Female×Never-married-spouse-absent"
    let svg = SVGChart.lines([.init(name: name, points: [(x: 0, y: 1), (x: 1, y: 2)]), .init(name: "overall", points: [(x: 0, y: 1)])],
                             title: "t", xLabel: "x", yLabel: "y")
    #expect(!svg.contains("…"))
    #expect(xmlError(svg) == nil)
    let pieces = svg.matches(of: #/<tspan[^>]*>([^<]*)</tspan>/#).map { String($0.output.1) }
    #expect(pieces.joined().replacingOccurrences(of: " ", with: "").contains(name.replacingOccurrences(of: " ", with: "")))
    #expect(pieces.count > 2)
  }
}
