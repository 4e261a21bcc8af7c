import Foundation
import KilnMetrics

extension ModelCardRenderer {
  /// The card's plots as inline SVG figures; a plot without data says so instead of drawing
  /// an empty frame.
  static func chartsSection(_ input: ModelCardInput) -> String {
    var figures: [String] = []
    func figure(_ svg: String?, missing: String) {
      figures.append("<figure>\n" + (svg ?? "<p class=\"missing\">\(escapeHTML(missing))</p>\n") + "</figure>\n")
    }
    func series(_ name: String, _ points: [ModelCardInput.Point]) -> SVGChart.Series {
      SVGChart.Series(name: name, points: points.map { (x: $0.x, y: $0.y) })
    }
    // Training metrics are logged per step and validation metrics per epoch: one chart each.
    let curves = input.learningCurves.filter { !$0.points.isEmpty }
    // Per-step training losses on one chart, per-epoch curves (validation, epoch losses) on
    // another; a learning rate or throughput on the same axes would flatten them.
    let perEpoch = curves.filter { !$0.name.hasPrefix("train.") || $0.name.hasPrefix("train.epoch_") }
    let training = curves.filter { $0.name.hasPrefix("train.") && !$0.name.hasPrefix("train.epoch_") && $0.name.contains("loss") }
    figure(training.isEmpty ? nil : SVGChart.lines(training.map { series($0.name, $0.points) }, title: "Learning curve (per step)",
                                                     xLabel: "step", yLabel: "value"),
           missing: "Training learning curve: no metric history recorded")
    figure(perEpoch.isEmpty ? nil : SVGChart.lines(perEpoch.map { series($0.name, $0.points) }, title: "Learning curves (per epoch)",
                                                     xLabel: "epoch", yLabel: "value"),
           missing: "Per-epoch learning curves: no metric history recorded")
    if input.isBinary {
      figure(input.rocCurve.isEmpty ? nil : SVGChart.lines([series("ROC", input.rocCurve)], title: "ROC curve",
                                                            xLabel: "false positive rate", yLabel: "true positive rate",
                                                            xRange: 0...1, yRange: 0...1, diagonal: true),
             missing: "ROC curve: not computed by the evaluation")
      figure(input.precisionRecallCurve.isEmpty ? nil : SVGChart.lines([series("precision–recall", input.precisionRecallCurve)],
                                                                        title: "Precision–recall curve", xLabel: "recall",
                                                                        yLabel: "precision", xRange: 0...1, yRange: 0...1),
             missing: "Precision–recall curve: not computed by the evaluation")
      let bins = input.reliability.filter { $0.count > 0 }
      figure(bins.isEmpty ? nil : SVGChart.lines([SVGChart.Series(name: "observed", points: bins.map { (x: $0.meanPredicted, y: $0.observedRate) })],
                                                 title: "Reliability diagram", xLabel: "mean predicted probability",
                                                 yLabel: "observed positive rate", xRange: 0...1, yRange: 0...1, diagonal: true),
             missing: "Reliability diagram: not computed by the evaluation")
    }
    if let points = input.predictedVersusActual, !points.isEmpty {
      figure(SVGChart.scatter(points.map { (x: $0.x, y: $0.y) }, title: "Predicted vs actual", xLabel: "actual",
                              yLabel: "predicted", diagonal: true), missing: "")
    }
    if let points = input.residuals, !points.isEmpty {
      figure(SVGChart.scatter(points.map { (x: $0.x, y: $0.y) }, title: "Residuals", xLabel: "predicted",
                              yLabel: "actual − predicted", zeroLine: true), missing: "")
    }
    if let confusion = input.confusion, !confusion.counts.isEmpty {
      figure(SVGChart.matrix(confusion.counts, rowLabels: confusion.labels, columnLabels: confusion.labels, title: "Confusion matrix"),
             missing: "")
    } else if input.labelKind != "regression" {
      figure(nil, missing: "Confusion matrix: not computed by the evaluation")
    }
    for (attribute, metric) in groupChartKeys(input) {
      let rows = sortedGroups(input).filter { $0.attribute == attribute && $0.metric == metric }
      let bars = rows.map { row in
        SVGChart.Bar(label: row.group, value: row.estimate.value, lower: shownInterval(row.estimate)?.lower, upper: shownInterval(row.estimate)?.upper,
                     note: row.count == 0 ? "no rows" : row.estimate.isDefined ? nil : "n = \(row.count)")
      }
      let overall = input.metrics.first { $0.key.hasSuffix(".\(metric)") && $0.key.split(separator: ".").count == 2 }?.value
      figure(SVGChart.bars(bars, title: "\(metric) by \(attribute)", yLabel: metric,
                           reference: overall.flatMap { $0.isDefined ? (label: "overall", value: $0.value) : nil }),
             missing: "")
    }
    let robustness = robustnessCharts(input)
    figures += robustness.map { "<figure>\n" + $0 + "</figure>\n" }
    if robustness.isEmpty { figure(nil, missing: "Robustness curves: not computed by the evaluation") }
    return "<h2>Plots</h2>\n<div class=\"charts\">\n" + figures.joined() + "</div>\n"
  }

  /// Robustness charts: one per perturbation and attribute (groups named `attribute=group`),
  /// each with the overall curve and that attribute's groups, so no chart carries more lines
  /// than a legend can name.
  static func robustnessCharts(_ input: ModelCardInput) -> [String] {
    func attribute(of group: String) -> String {
      let parts = group.split(separator: "=", maxSplits: 1)
      return parts.count == 2 ? String(parts[0]) : ""
    }
    func label(of curve: ModelCardInput.RobustnessCurve) -> String {
      curve.group.map { String($0.split(separator: "=", maxSplits: 1).last ?? "") } ?? "overall"
    }
    var charts: [String] = []
    var perturbations: [String] = []
    for curve in input.robustness where !perturbations.contains(curve.perturbation) { perturbations.append(curve.perturbation) }
    for perturbation in perturbations {
      let curves = input.robustness.filter { $0.perturbation == perturbation }
      let overall = curves.filter { $0.group == nil }
      var attributes: [String] = []
      for group in curves.compactMap(\.group) where !attributes.contains(attribute(of: group)) { attributes.append(attribute(of: group)) }
      for name in attributes.isEmpty ? [nil] : attributes.map(Optional.some) {
        let grouped = curves.filter { curve in curve.group.map { attribute(of: $0) == name } ?? false }
          .sorted { ($0.group ?? "") < ($1.group ?? "") }
        let shown = overall + grouped
        let title = "Robustness: \(perturbation)" + (name.map { $0.isEmpty ? "" : " by \($0)" } ?? "")
        let series = shown.map { SVGChart.Series(name: label(of: $0), points: $0.points.map { (x: $0.x, y: $0.y) }) }
        charts.append(SVGChart.lines(series, title: title, xLabel: "strength", yLabel: shown.first?.metric ?? "accuracy"))
      }
    }
    return charts
  }

  /// (attribute, metric) pairs with group results, in order.
  static func groupChartKeys(_ input: ModelCardInput) -> [(String, String)] {
    var seen = Set<String>(), keys: [(String, String)] = []
    let charted = input.chartedGroupMetrics.map(Set.init)
    for row in sortedGroups(input) where charted?.contains(row.metric) ?? true && seen.insert("\(row.attribute)\u{1}\(row.metric)").inserted {
      keys.append((row.attribute, row.metric))
    }
    return keys
  }
}
