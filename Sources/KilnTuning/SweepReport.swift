import Foundation
import KilnPaths
import KilnReport
import KilnSweep
import KilnConfiguration
import KilnTraining

/// The HTML sweep report, `reports/sweeps/RUN_ID/index.html`: self-contained (inline SVG, no
/// scripts or external files) with the trials table, the best trial and its configuration,
/// optimisation history, parallel coordinates, one slice plot per parameter and parameter
/// importance.
public enum SweepReport {
  /// Writes the report of `summary` atomically and returns its file.
  @discardableResult
  public static func write(_ summary: SweepSummary) throws -> URL {
    let directory = summary.session.layout.reportsDirectory
      .appendingPathComponent("sweeps", isDirectory: true).appendingPathComponent(summary.run.id, isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let file = directory.appendingPathComponent("index.html")
    TemporaryFile.removeAbandoned(besides: file)
    let temporary = TemporaryFile.beside(file)
    try Data(html(summary).utf8).write(to: temporary)
    guard rename(temporary.path, file.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw SweepError("cannot write the sweep report \(file.path): \(reason)", hint: "check that reports/ is writable")
    }
    return file
  }

  /// The report's HTML.
  public static func html(_ summary: SweepSummary) -> String {
    let plan = summary.session.plan
    let metric = plan.objectiveMetric
    var body = "<h1>Sweep \(escapeHTML(summary.run.name))</h1>\n"
    body += "<p>run <code>\(escapeHTML(summary.run.id))</code> · \(escapeHTML(plan.direction.rawValue)) "
    body += "<code>\(escapeHTML(metric))</code> · sampler \(escapeHTML(plan.sampler.rawValue)) · pruner "
    body += "\(escapeHTML(plan.pruner?.kind.rawValue ?? "none")) · seed \(plan.seed) · \(summary.trials.count) of \(plan.trials) trials</p>\n"
    if let best = summary.best, let overrides = summary.bestOverrides {
      body += "<h2>Best trial</h2>\n<p>trial \(best.number): <b>\(escapeHTML(RunFormatting.number(best.value)))</b></p>\n"
      body += "<pre>kiln train \(escapeHTML(plan.experimentFile)) \(overrides.map { "--set " + escapeHTML($0) }.joined(separator: " "))</pre>\n"
    }
    if plan.objectives.count > 1 {
      body += "<h2>Pareto front</h2>\n" + paretoChart(summary) + "\n"
    }
    let history = OptimizationHistory(trials: summary.trials, direction: plan.direction)
    body += "<h2>Optimisation history</h2>\n" + historyChart(history, metric: metric) + "\n"
    body += "<h2>Parallel coordinates</h2>\n" + parallelCoordinatesChart(ParallelCoordinates(trials: summary.trials), metric: metric) + "\n"
    body += "<h2>Slices</h2>\n"
    for dimension in (try? plan.searchSpace().dimensions) ?? [] {
      body += sliceChart(summary.trials, dimension: dimension, metric: metric) + "\n"
    }
    if !summary.importance.isEmpty {
      body += "<h2>Parameter importance</h2>\n<p>Adjusted first-order variance share (η², Pearson's correlation ratio).</p>\n"
      body += SVGChart.bars(summary.importance.map { SVGChart.Bar(label: $0.name, value: $0.explainedVariance) },
                            title: "Parameter importance", yLabel: "adjusted η²", yRange: 0...1) + "\n"
    }
    body += "<h2>Trials</h2>\n<pre>\(escapeHTML(summary.text()))</pre>\n"
    return """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8"><title>Sweep \(escapeHTML(summary.run.name))</title>
      <style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}pre{background:#f6f6f6;padding:.5em;overflow-x:auto}svg{margin:.5em}</style>
      </head><body>
      \(body)</body></html>

      """
  }

  static func historyChart(_ history: OptimizationHistory, metric: String) -> String {
    let values = history.points.compactMap { point in point.value.map { (x: Double(point.number), y: $0) } }
    let best = history.points.compactMap { point in point.bestValue.map { (x: Double(point.number), y: $0) } }
    return SVGChart.lines([SVGChart.Series(name: "trial value", points: values),
                           SVGChart.Series(name: "best so far", points: best)],
                          title: "Optimisation history", xLabel: "trial", yLabel: metric)
  }

  /// The first two objectives of every complete trial, the Pareto front's trials joined in order.
  static func paretoChart(_ summary: SweepSummary) -> String {
    paretoChart(summary.trials, objectives: summary.session.plan.objectives, front: summary.paretoFront)
  }

  /// The first two of `objectives` of every complete trial of `trials`, the trials of `front` joined in order.
  public static func paretoChart(_ trials: [TrialRecord], objectives: [SweepConfiguration.Objective], front paretoFront: [TrialRecord]) -> String {
    func point(_ trial: TrialRecord) -> (x: Double, y: Double)? {
      guard let values = trial.values, values.count >= 2 else { return nil }
      return (values[0], values[1])
    }
    let all = trials.filter { $0.state == .complete }.compactMap(point)
    let front = paretoFront.compactMap(point).sorted { $0.x < $1.x }
    return SVGChart.scatter(all, title: "Pareto front (\(paretoFront.count) of \(all.count) complete trials)",
                            xLabel: "\(objectives[0].metric) (\(objectives[0].direction.rawValue))",
                            yLabel: "\(objectives[1].metric) (\(objectives[1].direction.rawValue))", highlighted: front)
  }

  static let width = 640.0, height = 300.0, margin = 40.0

  /// Vertical axes (parameters, then the objective); one line per complete trial, darker for better values.
  static func parallelCoordinatesChart(_ plot: ParallelCoordinates, metric: String) -> String {
    let axes = plot.axes.map(\.name) + [metric]
    let step = axes.count > 1 ? (width - 2 * margin) / Double(axes.count - 1) : 0
    func x(_ index: Int) -> Double { margin + Double(index) * step }
    func y(_ fraction: Double) -> Double { height - margin - fraction * (height - 2 * margin) }
    var body = ""
    for line in plot.lines {
      let points = (line.positions + [line.valuePosition]).enumerated().compactMap { index, fraction in
        fraction.map { "\(format(x(index))),\(format(y($0)))" }
      }
      let goodness = plot.objective.high > plot.objective.low ? line.valuePosition : 1
      let opacity = 0.25 + 0.75 * goodness
      body += "<polyline fill=\"none\" stroke=\"#0072B2\" stroke-opacity=\"\(format(opacity))\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"><title>trial \(line.number): \(escapeHTML(RunFormatting.number(line.value)))</title></polyline>\n"
    }
    for (index, name) in axes.enumerated() {
      body += "<line x1=\"\(format(x(index)))\" y1=\"\(format(y(0)))\" x2=\"\(format(x(index)))\" y2=\"\(format(y(1)))\" stroke=\"#666\"/>"
      body += "<text x=\"\(format(x(index)))\" y=\"\(format(height - margin + 16))\" text-anchor=\"middle\">\(escapeHTML(name))</text>\n"
    }
    return svg(title: "Parallel coordinates (line opacity: \(metric), higher is darker)", body: body)
  }

  /// The objective against one parameter's values (its search coordinate: the logarithm for log scales).
  public static func sliceChart(_ trials: [TrialRecord], dimension: SweepSpace.Dimension, metric: String) -> String {
    let points = trials.compactMap { trial -> (Double, Double, Int)? in
      guard trial.state == .complete, let value = trial.value, let parameter = trial.parameters[dimension.key],
            let coordinate = dimension.distribution.searchCoordinate(of: parameter) else { return nil }
      return (coordinate, value, trial.number)
    }
    let (low, high) = dimension.distribution.searchBounds
    let values = points.map(\.1)
    let valueLow = values.min() ?? 0, valueHigh = values.max() ?? 1
    func x(_ coordinate: Double) -> Double {
      margin + (high > low ? (coordinate - low) / (high - low) : 0.5) * (width / 1.5 - 2 * margin)
    }
    func y(_ value: Double) -> Double {
      height - margin - (valueHigh > valueLow ? (value - valueLow) / (valueHigh - valueLow) : 0.5) * (height - 2 * margin)
    }
    var body = "<rect x=\"\(format(margin))\" y=\"\(format(margin))\" width=\"\(format(width / 1.5 - 2 * margin))\" height=\"\(format(height - 2 * margin))\" fill=\"none\" stroke=\"#999\"/>\n"
    for (coordinate, value, number) in points {
      body += "<circle cx=\"\(format(x(coordinate)))\" cy=\"\(format(y(value)))\" r=\"3.5\" fill=\"#D55E00\"><title>trial \(number): \(escapeHTML(RunFormatting.number(value)))</title></circle>\n"
    }
    let scaleNote: String
    if case .float(_, _, .logarithmic, _) = dimension.distribution { scaleNote = " (log)" } else { scaleNote = "" }
    body += "<text x=\"\(format(width / 3))\" y=\"\(format(height - 8))\" text-anchor=\"middle\">\(escapeHTML(dimension.key + scaleNote))</text>"
    body += "<text x=\"\(format(margin))\" y=\"\(format(margin - 4))\">\(escapeHTML(metric)) \(escapeHTML(RunFormatting.number(valueLow)))–\(escapeHTML(RunFormatting.number(valueHigh)))</text>\n"
    return svg(title: "Slice: \(dimension.key)", body: body, width: width / 1.5)
  }

  static func svg(title: String, body: String, width: Double = SweepReport.width) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(format(width)) \(format(height))" width="\(Int(width))" height="\(Int(height))" role="img" aria-label="\(escapeHTML(title))" font-family="sans-serif" font-size="11">
    <title>\(escapeHTML(title))</title>
    <text x="\(format(width / 2))" y="16" text-anchor="middle" font-size="13" font-weight="bold">\(escapeHTML(title))</text>
    \(body)</svg>
    """
  }

  static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
