import Foundation
import KilnMetrics

extension ModelCardRenderer {
  /// The card as Markdown (Mitchell et al. 2019's sections), with table cells escaped.
  public static func markdown(_ input: ModelCardInput) -> String {
    var lines: [String] = []
    func cell(_ text: String) -> String {
      // Markdown viewers render raw HTML: angle brackets from data are escaped too.
      text.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        .replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
    func bullets(_ title: String, _ items: [String]) {
      lines.append("**\(title)**")
      lines.append(contentsOf: items.isEmpty ? ["- not stated"] : items.map { "- \($0)" })
      lines.append("")
    }
    lines += ["# Model card: \(input.modelName) v\(input.version)", "",
              "Generated \(date(input.generatedTime)) from run `\(input.lineage.runID)`.", "",
              (input.auditHead?.reportLine ?? "Audit chain head: not recorded") + ".", "",
              "## Model details", "", input.prose.overview.isEmpty ? "No overview given." : input.prose.overview, "",
              "- Architecture: \(input.architecture)",
              "- Owners: \(input.prose.owners.isEmpty ? "not stated" : input.prose.owners.joined(separator: ", "))",
              "- License: \(input.prose.license ?? "not stated")",
              "- Git commit: \(input.lineage.gitCommit ?? "unknown")",
              "- Configuration hash: `\(input.lineage.configurationHash)`",
              "- Checkpoint: `\(input.lineage.checkpointArtifact)`" + (input.lineage.checkpointSHA256.map { " (sha256 `\($0)`)" } ?? ""),
              "- Approval: \(cell(approvalText(input)))", ""]
    if !input.prose.references.isEmpty { bullets("References", input.prose.references) }
    if !input.hyperparameters.isEmpty {
      lines += ["| hyperparameter | value |", "| --- | --- |"]
      lines += input.hyperparameters.sorted { $0.key < $1.key }.map { "| \(cell($0.key)) | \(cell($0.value)) |" }
      lines.append("")
    }
    lines += ["## Intended use", ""]
    bullets("Primary intended uses", input.prose.intendedUses)
    bullets("Primary intended users", input.prose.intendedUsers)
    bullets("Out-of-scope uses", input.prose.outOfScopeUses)
    lines += ["## Factors", ""]
    bullets("Relevant factors", input.prose.factors)
    lines += ["## Metrics", "",
              input.isBinary ? "- Decision threshold: \(format(input.decisionThreshold))" : "- Output: \(input.outputDescription)",
              "- Uncertainty: \(input.uncertaintyMethod)", ""]
    lines += ["## Evaluation data", ""] + dataLines(input.evaluationData) + ["", "## Training data", ""] + dataLines(input.trainingData) + [""]
    lines += ["## Quantitative analyses", "", "### Overall", "",
              "| metric | value | confidence interval | gate | ", "| --- | --- | --- | --- |"]
    for name in input.metrics.keys.sorted() {
      let estimate = input.metrics[name]!
      lines.append("| \(cell(name)) | \(cell(value(estimate))) | \(format(shownInterval(estimate))) | \(cell(gateCell(input.gateResults(for: name)))) |")
    }
    lines.append("")
    if !input.groupMetrics.isEmpty {
      let table = groupTable(input)
      lines += ["### By group (unitary and intersectional)", "", "Each cell: value [confidence interval]; an empty group has no rows.", "",
                "| attribute | group | n | " + table.metrics.map(cell).joined(separator: " | ") + " |",
                "| --- | --- | --- | " + table.metrics.map { _ in "---" }.joined(separator: " | ") + " |"]
      for row in table.rows {
        lines.append("| \(cell(row.attribute)) | \(cell(row.group)) | \(row.count) | " + row.cells.map(cell).joined(separator: " | ") + " |")
      }
      lines.append("")
    }
    lines += mitigationMarkdown(input, cell: cell)
    if let confusion = input.confusion, !confusion.counts.isEmpty {
      lines += ["### Confusion matrix (rows: true class, columns: predicted class)", "",
                "| true \\ predicted | " + confusion.labels.map(cell).joined(separator: " | ") + " |",
                "| --- | " + confusion.labels.map { _ in "---" }.joined(separator: " | ") + " |"]
      for (row, label) in confusion.labels.enumerated() where row < confusion.counts.count {
        lines.append("| \(cell(label)) | " + confusion.counts[row].map(String.init).joined(separator: " | ") + " |")
      }
      lines.append("")
    }
    if let decision = input.decision {
      lines += ["### Gates: \(decision.verdict.rawValue.uppercased())", "",
                "| gate | metric | observed | threshold | margin | outcome | reason |", "| --- | --- | --- | --- | --- | --- | --- |"]
      for result in decision.results {
        lines.append("| \(cell(result.gate.summary)) | \(cell(result.metric)) | \(format(result.observed)) | \(format(result.threshold)) | \(format(result.margin)) | \(result.outcome.rawValue)\(result.gate.severity == .warn ? " (warn)" : "") | \(cell(result.reason)) |")
      }
      lines.append("")
    }
    lines += ["## Ethical considerations", ""]
    lines += input.prose.ethicalConsiderations.isEmpty ? ["- not stated"]
      : input.prose.ethicalConsiderations.map { "- **\($0.name)**: \($0.mitigation)" }
    lines += ["", "## Caveats and recommendations", ""]
    lines += input.prose.caveats.isEmpty ? ["- not stated"] : input.prose.caveats.map { "- \($0)" }
    lines.append("")
    return lines.joined(separator: "\n")
  }

  static func dataLines(_ data: [ModelCardInput.DataDescription]) -> [String] {
    guard !data.isEmpty else { return ["- not recorded"] }
    return data.map { item in
      var line = "- \(item.name), split `\(item.split)`"
      if let rows = item.rows { line += ", \(rows) rows" }
      if let fingerprint = item.fingerprint { line += ", fingerprint `\(fingerprint)`" }
      return line
    }
  }
}
