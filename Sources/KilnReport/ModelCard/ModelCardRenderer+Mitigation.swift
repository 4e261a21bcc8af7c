import KilnMetrics

extension ModelCardRenderer {
  /// The mitigation's rows: metric, group, before and after with intervals.
  static func mitigationRows(_ mitigation: ModelCardInput.Mitigation) -> [[String]] {
    (mitigation.overall + mitigation.byGroup).map { comparison in
      [comparison.metric, comparison.group ?? "overall",
       value(comparison.before) + " " + format(shownInterval(comparison.before)),
       value(comparison.after) + " " + format(shownInterval(comparison.after))]
    }
  }

  static func mitigationIntroduction(_ mitigation: ModelCardInput.Mitigation) -> String {
    "Mitigation: \(mitigation.summary). Before is the same experiment and seed without it; after is this model. "
      + "Each cell: value [confidence interval]."
  }

  /// The Markdown section (empty without a mitigation).
  static func mitigationMarkdown(_ input: ModelCardInput, cell: (String) -> String) -> [String] {
    guard let mitigation = input.mitigation else { return [] }
    var lines = ["### Mitigation: before and after", "", mitigationIntroduction(mitigation), "",
                 "| metric | group | before | after |", "| --- | --- | --- | --- |"]
    lines += mitigationRows(mitigation).map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
    if let tradeoff = mitigation.tradeoff {
      lines += ["", "Trade-off (\(mitigation.accuracyMetric) against \(mitigation.disparityMetric)): before "
                + "(\(value(tradeoff.before.disparity)), \(value(tradeoff.before.accuracy))), after "
                + "(\(value(tradeoff.after.disparity)), \(value(tradeoff.after.accuracy)))."]
    }
    return lines + [""]
  }

  /// The HTML section with the trade-off plot (empty without a mitigation).
  static func mitigationSection(_ input: ModelCardInput) -> String {
    guard let mitigation = input.mitigation else { return "" }
    var html = "<h3>Mitigation: before and after</h3>\n<p>\(escapeHTML(mitigationIntroduction(mitigation)))</p>\n"
    html += table(["metric", "group", "before", "after"], mitigationRows(mitigation).map { row in
      row.enumerated().map { ($0.element, $0.offset >= 2) }
    })
    if let tradeoff = mitigation.tradeoff {
      func point(_ label: String, _ pair: (accuracy: MetricEstimate, disparity: MetricEstimate)) -> SVGChart.LabelledPoint {
        let x = shownInterval(pair.disparity), y = shownInterval(pair.accuracy)
        return SVGChart.LabelledPoint(label: label, x: pair.disparity.value, y: pair.accuracy.value,
                                      xInterval: x.map { ($0.lower, $0.upper) }, yInterval: y.map { ($0.lower, $0.upper) })
      }
      html += "<div class=\"charts\"><figure>\n"
        + SVGChart.labelledPoints([point("before", tradeoff.before), point("after", tradeoff.after)],
                                  title: "Accuracy against disparity", xLabel: mitigation.disparityMetric, yLabel: mitigation.accuracyMetric)
        + "</figure></div>\n"
    }
    return html
  }
}
