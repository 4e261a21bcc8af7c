import Foundation

/// Small, dependency-free SVG charts for self-contained HTML reports: line charts (learning,
/// ROC, PR, reliability and robustness curves), bar charts with confidence whiskers (per-group
/// metrics), heat maps (confusion matrices) and paired histograms (drift).
///
/// Output is deterministic: coordinates are printed with two decimals, series keep their order,
/// and every label is HTML-escaped.
public enum SVGChart {
  /// A named polyline.
  public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public init(name: String, points: [(x: Double, y: Double)]) {
      self.name = name
      self.points = points
    }
  }

  /// One bar, with an optional confidence interval drawn as a whisker.
  public struct Bar: Sendable {
    public var label: String
    public var value: Double
    public var lower: Double?
    public var upper: Double?
    /// A short note drawn instead of the bar when the value cannot be shown (e.g. "n = 3").
    public var note: String?
    public init(label: String, value: Double, lower: Double? = nil, upper: Double? = nil, note: String? = nil) {
      self.label = label
      self.value = value
      self.lower = lower
      self.upper = upper
      self.note = note
    }
  }

  /// A labelled point with optional confidence intervals on both axes (drawn as whiskers).
  public struct LabelledPoint: Sendable {
    public var label: String
    public var x: Double
    public var y: Double
    public var xInterval: (lower: Double, upper: Double)?
    public var yInterval: (lower: Double, upper: Double)?
    public init(label: String, x: Double, y: Double, xInterval: (lower: Double, upper: Double)? = nil,
                yInterval: (lower: Double, upper: Double)? = nil) {
      self.label = label
      self.x = x
      self.y = y
      self.xInterval = xInterval
      self.yInterval = yInterval
    }
  }

  /// A colour-blind-safe palette (Okabe & Ito 2008).
  static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

  static let width = 420.0, height = 280.0
  static let left = 52.0, right = 12.0, top = 28.0, bottom = 40.0

  static func number(_ value: Double) -> String { String(format: "%.2f", value) }

  static func tickLabel(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return abs(rounded - rounded.rounded()) < 1e-9 ? String(Int(rounded.rounded())) : String(format: "%g", rounded)
  }

  /// "Nice" tick positions covering `low...high` (1, 2 or 5 × 10^k steps).
  static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard high > low, low.isFinite, high.isFinite else { return [low] }
    let raw = (high - low) / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var values: [Double] = []
    var value = ceil(low / step - 1e-9) * step
    while value <= high + step * 1e-9 {
      values.append(abs(value) < step * 1e-9 ? 0 : value)
      value += step
    }
    return values
  }

  /// - Parameter extraBottom: room added below the plot (for wrapped or rotated category labels).
  static func frame(title: String, xLabel: String, yLabel: String, body: String, extraBottom: Double = 0) -> String {
    let totalHeight = height + extraBottom
    return """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(number(width)) \(number(totalHeight))" width="\(Int(width))" height="\(Int(totalHeight))" role="img" aria-label="\(escapeHTML(title))" font-family="sans-serif" font-size="11">
    <title>\(escapeHTML(title))</title>
    <text x="\(number(width / 2))" y="16" text-anchor="middle" font-size="13" font-weight="bold">\(escapeHTML(title))</text>
    \(body)<text x="\(number(left + (width - left - right) / 2))" y="\(number(height - 6))" text-anchor="middle">\(escapeHTML(xLabel))</text>
    <text x="12" y="\(number(top + (height - top - bottom) / 2))" text-anchor="middle" transform="rotate(-90 12 \(number(top + (height - top - bottom) / 2)))">\(escapeHTML(yLabel))</text>
    </svg>
    """
  }

  /// Axes with ticks for the given ranges; returns the SVG and the two mapping functions.
  static func axes(x: ClosedRange<Double>, y: ClosedRange<Double>) -> (svg: String, mapX: (Double) -> Double, mapY: (Double) -> Double) {
    let plotWidth = width - left - right, plotHeight = height - top - bottom
    let xSpan = max(x.upperBound - x.lowerBound, 1e-12), ySpan = max(y.upperBound - y.lowerBound, 1e-12)
    let mapX = { (value: Double) in left + (value - x.lowerBound) / xSpan * plotWidth }
    let mapY = { (value: Double) in top + plotHeight - (value - y.lowerBound) / ySpan * plotHeight }
    var svg = "<rect x=\"\(number(left))\" y=\"\(number(top))\" width=\"\(number(plotWidth))\" height=\"\(number(plotHeight))\" fill=\"none\" stroke=\"#999\"/>\n"
    for tick in ticks(x.lowerBound, x.upperBound) {
      svg += "<line x1=\"\(number(mapX(tick)))\" y1=\"\(number(top + plotHeight))\" x2=\"\(number(mapX(tick)))\" y2=\"\(number(top + plotHeight + 4))\" stroke=\"#666\"/>"
      svg += "<text x=\"\(number(mapX(tick)))\" y=\"\(number(top + plotHeight + 15))\" text-anchor=\"middle\">\(tickLabel(tick))</text>\n"
    }
    for tick in ticks(y.lowerBound, y.upperBound) {
      svg += "<line x1=\"\(number(left - 4))\" y1=\"\(number(mapY(tick)))\" x2=\"\(number(left + plotWidth))\" y2=\"\(number(mapY(tick)))\" stroke=\"#eee\"/>"
      svg += "<text x=\"\(number(left - 6))\" y=\"\(number(mapY(tick) + 4))\" text-anchor=\"end\">\(tickLabel(tick))</text>\n"
    }
    return (svg, mapX, mapY)
  }

  /// The legend in the top-right corner: about 24 characters a line at 11 px; longer names are
  /// wrapped (at `×`, `&`, spaces and hyphens, else every 24 characters), never cut.
  static func legend(_ names: [String]) -> String {
    var svg = "", y = top + 10
    for (index, name) in names.enumerated() {
      let lines = wrap(name, width: 24).flatMap { line in
        stride(from: 0, to: line.count, by: 24).map { String(line.dropFirst($0).prefix(24)) }
      }
      svg += "<rect x=\"\(number(width - right - 156))\" y=\"\(number(y - 8))\" width=\"10\" height=\"10\" fill=\"\(palette[index % palette.count])\"/>"
      svg += "<text x=\"\(number(width - right - 142))\" y=\"\(number(y + 1))\">" + lines.enumerated().map { line, text in
        "<tspan x=\"\(number(width - right - 142))\" dy=\"\(line == 0 ? "0" : "12")\">\(escapeHTML(text))</tspan>"
      }.joined() + "</text>\n"
      y += 14 + Double(lines.count - 1) * 12
    }
    return svg
  }

  /// A line chart. `diagonal` draws the y = x reference (ROC curves, reliability diagrams).
  public static func lines(_ series: [Series], title: String, xLabel: String, yLabel: String,
                           xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil, diagonal: Bool = false) -> String {
    let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
    let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
    let xDomain = xRange ?? padded(xs)
    let yDomain = yRange ?? padded(ys)
    let (axisSVG, mapX, mapY) = axes(x: xDomain, y: yDomain)
    var body = axisSVG
    if diagonal {
      body += "<line x1=\"\(number(mapX(xDomain.lowerBound)))\" y1=\"\(number(mapY(yDomain.lowerBound)))\" x2=\"\(number(mapX(xDomain.upperBound)))\" y2=\"\(number(mapY(yDomain.upperBound)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
    }
    for (index, line) in series.enumerated() {
      let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
        .map { "\(number(mapX($0.x))),\(number(mapY($0.y)))" }.joined(separator: " ")
      guard !points.isEmpty else { continue }
      body += "<polyline fill=\"none\" stroke=\"\(palette[index % palette.count])\" stroke-width=\"1.8\" points=\"\(points)\"><title>\(escapeHTML(line.name))</title></polyline>\n"
    }
    if series.count > 1 || !(series.first?.name.isEmpty ?? true) { body += legend(series.map(\.name)) }
    return frame(title: title, xLabel: xLabel, yLabel: yLabel, body: body)
  }

  /// A scatter plot of points; `diagonal` draws y = x over the shared range (predicted vs
  /// actual), `zeroLine` the line y = 0 (residuals), `highlighted` points drawn larger in a second
  /// colour and joined in the given order (a Pareto front).
  public static func scatter(_ points: [(x: Double, y: Double)], title: String, xLabel: String, yLabel: String,
                             diagonal: Bool = false, zeroLine: Bool = false,
                             highlighted: [(x: Double, y: Double)] = []) -> String {
    let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
    var xDomain = padded(finite.map(\.x)), yDomain = padded(finite.map(\.y) + (zeroLine ? [0] : []))
    if diagonal {
      let shared = padded(finite.map(\.x) + finite.map(\.y))
      xDomain = shared
      yDomain = shared
    }
    let (axisSVG, mapX, mapY) = axes(x: xDomain, y: yDomain)
    var body = axisSVG
    if diagonal {
      body += "<line x1=\"\(number(mapX(xDomain.lowerBound)))\" y1=\"\(number(mapY(yDomain.lowerBound)))\" x2=\"\(number(mapX(xDomain.upperBound)))\" y2=\"\(number(mapY(yDomain.upperBound)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
    }
    if zeroLine {
      body += "<line x1=\"\(number(mapX(xDomain.lowerBound)))\" y1=\"\(number(mapY(0)))\" x2=\"\(number(mapX(xDomain.upperBound)))\" y2=\"\(number(mapY(0)))\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>\n"
    }
    for point in finite {
      body += "<circle cx=\"\(number(mapX(point.x)))\" cy=\"\(number(mapY(point.y)))\" r=\"2\" fill=\"\(palette[0])\" fill-opacity=\"0.6\"/>\n"
    }
    let marked = highlighted.filter { $0.x.isFinite && $0.y.isFinite }
    if !marked.isEmpty {
      let path = marked.map { "\(number(mapX($0.x))),\(number(mapY($0.y)))" }.joined(separator: " ")
      body += "<polyline fill=\"none\" stroke=\"\(palette[1])\" stroke-width=\"1.5\" points=\"\(path)\"/>\n"
      for point in marked {
        body += "<circle cx=\"\(number(mapX(point.x)))\" cy=\"\(number(mapY(point.y)))\" r=\"3.5\" fill=\"\(palette[1])\"><title>\(escapeHTML(tickLabel(point.x))), \(escapeHTML(tickLabel(point.y)))</title></circle>\n"
      }
    }
    return frame(title: title, xLabel: xLabel, yLabel: yLabel, body: body)
  }

  /// A few labelled points with whiskers for their intervals (a trade-off between two metrics).
  public static func labelledPoints(_ points: [LabelledPoint], title: String, xLabel: String, yLabel: String) -> String {
    let shown = points.filter { $0.x.isFinite && $0.y.isFinite }
    let xs = shown.flatMap { [$0.x] + ($0.xInterval.map { [$0.lower, $0.upper] } ?? []) }.filter(\.isFinite)
    let ys = shown.flatMap { [$0.y] + ($0.yInterval.map { [$0.lower, $0.upper] } ?? []) }.filter(\.isFinite)
    let (axisSVG, mapX, mapY) = axes(x: padded(xs), y: padded(ys))
    var body = axisSVG
    for (index, point) in shown.enumerated() {
      let colour = palette[index % palette.count]
      let (x, y) = (mapX(point.x), mapY(point.y))
      if let interval = point.xInterval, interval.lower.isFinite, interval.upper.isFinite {
        body += "<line x1=\"\(number(mapX(interval.lower)))\" y1=\"\(number(y))\" x2=\"\(number(mapX(interval.upper)))\" y2=\"\(number(y))\" stroke=\"\(colour)\"/>\n"
      }
      if let interval = point.yInterval, interval.lower.isFinite, interval.upper.isFinite {
        body += "<line x1=\"\(number(x))\" y1=\"\(number(mapY(interval.lower)))\" x2=\"\(number(x))\" y2=\"\(number(mapY(interval.upper)))\" stroke=\"\(colour)\"/>\n"
      }
      body += "<circle cx=\"\(number(x))\" cy=\"\(number(y))\" r=\"4\" fill=\"\(colour)\"><title>\(escapeHTML(point.label))</title></circle>"
      body += "<text x=\"\(number(x + 6))\" y=\"\(number(y - 6))\">\(escapeHTML(point.label))</text>\n"
    }
    return frame(title: title, xLabel: xLabel, yLabel: yLabel, body: body)
  }

  /// A bar chart with optional confidence whiskers and an optional horizontal reference line
  /// (e.g. the overall value).
  public static func bars(_ bars: [Bar], title: String, yLabel: String, yRange: ClosedRange<Double>? = nil,
                          reference: (label: String, value: Double)? = nil) -> String {
    let values = bars.flatMap { [$0.value, $0.lower ?? $0.value, $0.upper ?? $0.value] }.filter(\.isFinite) + [0]
    let domain = yRange ?? padded(values + (reference.map { [$0.value] } ?? []))
    let plotWidth = width - left - right
    let (axisSVG, _, mapY) = axes(x: 0...1, y: domain)
    // The x axis of a bar chart has category labels, not ticks: drop the numeric x ticks.
    var body = axisSVG.split(separator: "\n").filter { !$0.contains("text-anchor=\"middle\">") }.joined(separator: "\n") + "\n"
    let slot = plotWidth / Double(max(bars.count, 1))
    for (index, bar) in bars.enumerated() {
      let center = left + slot * (Double(index) + 0.5)
      let barWidth = min(slot * 0.6, 48)
      if let note = bar.note {
        body += "<text x=\"\(number(center))\" y=\"\(number(mapY(domain.lowerBound) - 6))\" text-anchor=\"middle\" fill=\"#a00\">\(escapeHTML(note))</text>\n"
      } else if bar.value.isFinite {
        let y0 = mapY(max(domain.lowerBound, 0)), y1 = mapY(bar.value)
        body += "<rect x=\"\(number(center - barWidth / 2))\" y=\"\(number(min(y0, y1)))\" width=\"\(number(barWidth))\" height=\"\(number(abs(y0 - y1)))\" fill=\"\(palette[0])\"><title>\(escapeHTML(bar.label)): \(tickLabel(bar.value))</title></rect>\n"
        if let lower = bar.lower, let upper = bar.upper, lower.isFinite, upper.isFinite {
          body += "<path d=\"M\(number(center)) \(number(mapY(lower)))V\(number(mapY(upper)))M\(number(center - 6)) \(number(mapY(lower)))h12M\(number(center - 6)) \(number(mapY(upper)))h12\" stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"/>\n"
        }
      }
    }
    let labels = categoryLabels(bars.map(\.label), slot: slot)
    body += labels.svg
    if let reference {
      body += "<line x1=\"\(number(left))\" y1=\"\(number(mapY(reference.value)))\" x2=\"\(number(width - right))\" y2=\"\(number(mapY(reference.value)))\" stroke=\"\(palette[1])\" stroke-dasharray=\"5 3\"><title>\(escapeHTML(reference.label))</title></line>\n"
    }
    return frame(title: title, xLabel: "", yLabel: yLabel, body: body, extraBottom: labels.extraHeight)
  }

  /// Category labels under slots of width `slot`, never truncated: wrapped onto lines at `×`,
  /// `&`, spaces and hyphens when every piece fits its slot, otherwise rotated 45°.
  /// - Returns: the SVG and the height the labels need beyond the chart's bottom margin.
  static func categoryLabels(_ labels: [String], slot: Double) -> (svg: String, extraHeight: Double) {
    columnLabelsSVG(labels, left: left, slot: slot)
  }

  /// Labels under columns of width `slot` starting at `left`: wrapped to fit, or rotated when a
  /// piece does not; never cut.
  static func columnLabelsSVG(_ labels: [String], left: Double, slot: Double) -> (svg: String, extraHeight: Double) {
    let characterWidth = 6.5, lineHeight = 12.0
    let fitting = max(1, Int(slot / characterWidth))
    let wrapped = labels.map { wrap($0, width: fitting) }
    let baseline = height - bottom + 15
    var svg = ""
    if wrapped.allSatisfy({ $0.allSatisfy { $0.count <= fitting } }) {
      for (index, lines) in wrapped.enumerated() {
        let center = left + slot * (Double(index) + 0.5)
        svg += "<text x=\"\(number(center))\" y=\"\(number(baseline))\" text-anchor=\"middle\">"
        svg += lines.enumerated().map { line, text in
          "<tspan x=\"\(number(center))\" dy=\"\(line == 0 ? "0" : number(lineHeight))\">\(escapeHTML(text))</tspan>"
        }.joined() + "</text>\n"
      }
      let lines = wrapped.map(\.count).max() ?? 1
      return (svg, Double(lines - 1) * lineHeight)
    }
    for (index, label) in labels.enumerated() {
      let center = left + slot * (Double(index) + 0.5), y = baseline - 8
      svg += "<text x=\"\(number(center))\" y=\"\(number(y))\" text-anchor=\"end\" transform=\"rotate(-45 \(number(center)) \(number(y)))\">\(escapeHTML(label))</text>\n"
    }
    let longest = Double(labels.map(\.count).max() ?? 0) * characterWidth
    return (svg, max(0, longest * 0.71 - (bottom - 12)))
  }

  /// `text` split into lines of at most `width` characters where it has a `×`, `&`, space or
  /// hyphen (kept at the end of the line before the break); a piece longer than `width` stays whole.
  static func wrap(_ text: String, width: Int) -> [String] {
    var pieces: [String] = [], current = ""
    for character in text {
      current.append(character)
      if "×& -".contains(character) { pieces.append(current); current = "" }
    }
    if !current.isEmpty { pieces.append(current) }
    var lines: [String] = []
    for piece in pieces {
      if let last = lines.last, last.count + piece.count <= width {
        lines[lines.count - 1] = last + piece
      } else {
        lines.append(piece)
      }
    }
    return lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// A heat map of counts with row and column labels (a confusion matrix: rows are true classes).
  public static func matrix(_ counts: [[Int]], rowLabels: [String], columnLabels: [String], title: String,
                            xLabel: String = "predicted", yLabel: String = "actual") -> String {
    let rows = counts.count, columns = counts.first?.count ?? 0
    let maximum = Double(counts.flatMap { $0 }.max() ?? 1)
    // Row labels are wrapped, and the grid moves right to make room for them (up to 40% of the
    // width; a longer line is drawn narrower, never cut).
    let characterWidth = 6.5, lineHeight = 12.0, axisTitle = 24.0
    let rowLines = rowLabels.map { wrap($0, width: 14) }
    let longest = Double(rowLines.flatMap { $0 }.map(\.count).max() ?? 1) * characterWidth
    let gridLeft = min(max(left, axisTitle + longest + 6), width * 0.4)
    let cellWidth = (width - gridLeft - right) / Double(max(columns, 1))
    let cellHeight = (height - top - bottom) / Double(max(rows, 1))
    var body = ""
    for row in 0..<rows {
      for column in 0..<columns {
        let count = counts[row][column]
        let shade = maximum > 0 ? Double(count) / maximum : 0
        let x = gridLeft + Double(column) * cellWidth, y = top + Double(row) * cellHeight
        body += "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(cellWidth))\" height=\"\(number(cellHeight))\" fill=\"rgb(\(Int(255 - 200 * shade)),\(Int(255 - 150 * shade)),255)\" stroke=\"#fff\"/>"
        body += "<text x=\"\(number(x + cellWidth / 2))\" y=\"\(number(y + cellHeight / 2 + 4))\" text-anchor=\"middle\">\(count)</text>\n"
      }
      let lines = rowLines[row], available = gridLeft - axisTitle - 4
      let firstBaseline = top + (Double(row) + 0.5) * cellHeight + 4 - Double(lines.count - 1) * lineHeight / 2
      body += "<text x=\"\(number(gridLeft - 4))\" y=\"\(number(firstBaseline))\" text-anchor=\"end\">"
      body += lines.enumerated().map { index, text in
        let squeeze = Double(text.count) * characterWidth > available
          ? " textLength=\"\(number(available))\" lengthAdjust=\"spacingAndGlyphs\"" : ""
        return "<tspan x=\"\(number(gridLeft - 4))\" dy=\"\(index == 0 ? "0" : number(lineHeight))\"\(squeeze)>\(escapeHTML(text))</tspan>"
      }.joined() + "</text>\n"
    }
    let labels = columnLabelsSVG(columnLabels, left: gridLeft, slot: cellWidth)
    body += labels.svg
    return frame(title: title, xLabel: xLabel, yLabel: yLabel, body: body, extraBottom: labels.extraHeight)
  }

  /// Two histograms over the same bins, side by side per bin (reference vs current, for drift).
  public static func pairedHistogram(binLabels: [String], reference: [Double], current: [Double], title: String,
                                     names: (String, String) = ("reference", "current")) -> String {
    precondition(reference.count == binLabels.count && current.count == binLabels.count,
                 "pairedHistogram: \(binLabels.count) bins but \(reference.count) reference and \(current.count) current values")
    let domain = 0...(max(reference.max() ?? 1, current.max() ?? 1, 1e-9) * 1.1)
    let (axisSVG, _, mapY) = axes(x: 0...1, y: domain)
    var body = axisSVG.split(separator: "\n").filter { !$0.contains("text-anchor=\"middle\">") }.joined(separator: "\n") + "\n"
    let slot = (width - left - right) / Double(max(binLabels.count, 1))
    for index in binLabels.indices {
      let x = left + slot * Double(index)
      for (offset, value) in [reference[index], current[index]].enumerated() {
        let barX = x + slot * (0.1 + 0.4 * Double(offset))
        body += "<rect x=\"\(number(barX))\" y=\"\(number(mapY(value)))\" width=\"\(number(slot * 0.4))\" height=\"\(number(mapY(0) - mapY(value)))\" fill=\"\(palette[offset])\"/>"
      }
    }
    // Up to 12 bins are labelled (wrapped or rotated, never cut); more would be unreadable.
    let labels = binLabels.count <= 12 ? categoryLabels(binLabels, slot: slot) : (svg: "", extraHeight: 0)
    body += labels.svg
    body += legend([names.0, names.1])
    return frame(title: title, xLabel: "", yLabel: "share of rows", body: body, extraBottom: labels.extraHeight)
  }

  static func padded(_ values: [Double]) -> ClosedRange<Double> {
    guard let low = values.min(), let high = values.max() else { return 0...1 }
    if high - low < 1e-12 { return (low - 0.5)...(high + 0.5) }
    let pad = (high - low) * 0.05
    return (low - pad)...(high + pad)
  }

}
