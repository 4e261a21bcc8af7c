import KilnOutput
import Foundation

extension DatasetProfile: CommandOutput {
  /// A human-readable report: identity, splits, label balance, groups, then the feature table.
  public func text() -> String {
    var lines: [String] = []
    lines.append("\(name) v\(version) (\(format))  \(path)")
    lines.append("fingerprint  \(fingerprint)")
    lines.append("rows \(rowCount), features \(featureCount)")
    lines.append(duplicates.renderedText())
    lines.append("splits       " + splits.keys.sorted().map { "\($0) \(splits[$0]!)" }.joined(separator: ", "))
    switch labelKind {
    case .binary:
      lines.append("label        \(labelName): positive '\(classes.last ?? "")' \(percent(labelBalance.positiveRate)) of \(labelBalance.rows)")
    case .multiclass:
      lines.append("label        \(labelName): multiclass, \(classes.count) classes over \(labelBalance.rows) rows")
      lines += classLines(classCounts ?? [:], indent: "  ")
      for attribute in (classCountsByGroup ?? [:]).keys.sorted() {
        lines.append("by group \(attribute):")
        for (group, counts) in classCountsByGroup![attribute]!.sorted(by: { $0.key < $1.key }) {
          // The five most common classes of the group (all of them are in the JSON).
          let rows = counts.values.reduce(0, +)
          let top = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(5)
          let shares = top.map { "\($0.key) \(percent(rows == 0 ? 0 : Double($0.value) / Double(rows)))" }
          lines.append("  \(group.padding(toLength: 28, withPad: " ", startingAt: 0)) rows \(pad(rows, 7))  "
                       + shares.joined(separator: ", ") + (classes.count > 5 ? ", …" : ""))
        }
      }
    case .regression:
      lines.append("label        \(labelName): regression target, " + (targetStatistics.map(targetSummary) ?? "no rows"))
      for attribute in (targetStatisticsByGroup ?? [:]).keys.sorted() {
        lines.append("by group \(attribute):")
        for (group, statistics) in targetStatisticsByGroup![attribute]!.sorted(by: { $0.key < $1.key }) {
          lines.append("  \(group.padding(toLength: 28, withPad: " ", startingAt: 0)) " + targetSummary(statistics))
        }
      }
    }
    for (title, table) in [("by group", balanceByGroup), ("by intersection", balanceByIntersection)] {
      for attribute in table.keys.sorted() {
        let groups = table[attribute]!
        lines.append("\(title) \(attribute):")
        for group in groups.keys.sorted() {
          let balance = groups[group]!
          lines.append("  \(group.padding(toLength: 28, withPad: " ", startingAt: 0)) rows \(pad(balance.rows, 7))  positive \(percent(balance.positiveRate))")
        }
      }
    }
    lines.append("")
    lines.append(ColumnProfile.table(features))
    return lines.joined(separator: "\n")
  }

  /// One line per class: name, rows and share, in code order.
  private func classLines(_ counts: [String: Int], indent: String) -> [String] {
    let total = counts.values.reduce(0, +)
    let width = max(12, classes.map(\.count).max() ?? 0)
    return classes.map { name in
      let rows = counts[name] ?? 0
      return "\(indent)\(name.padding(toLength: width, withPad: " ", startingAt: 0)) rows \(pad(rows, 7))  \(percent(total == 0 ? 0 : Double(rows) / Double(total)))"
    }
  }
}

/// `rows N, mean …, std …, min …, max …`.
func targetSummary(_ statistics: TargetStatistics) -> String {
  "rows \(pad(statistics.count, 7)), mean \(String(format: "%.4g", statistics.mean)), std \(String(format: "%.4g", statistics.standardDeviation)), "
    + "min \(String(format: "%.4g", statistics.minimum)), max \(String(format: "%.4g", statistics.maximum))"
}

extension ImportReport: CommandOutput {
  /// A human-readable summary of an import.
  public func text() -> String {
    var lines = ["imported \(name) → \(output)", "fingerprint \(fingerprint)", "features \(featureCount), missing-value policy \(missingPolicy.rawValue)",
                 "raw rows   " + rawFileRows.keys.sorted().map { "\($0) file \(rawFileRows[$0]!)" }.joined(separator: ", ")]
    for split in ["train", "validation", "test"] where rowsBeforePolicy[split] != nil {
      let drop = rowsKeptByPolicy["drop"]?[split] ?? 0
      let impute = rowsKeptByPolicy["impute"]?[split] ?? 0
      let unknown = (unknownCategories[split] ?? [:]).values.reduce(0, +)
      let balance: String
      switch labelKind {
      case .binary: balance = "positive \(percent(positiveRate[split] ?? 0))"
      case .multiclass: balance = "\((classCounts?[split] ?? [:]).filter { $0.value > 0 }.count) classes present"
      case .regression: balance = "target mean \(String(format: "%.4g", targetStatistics?[split]?.mean ?? 0))"
      }
      lines.append("\(split.padding(toLength: 10, withPad: " ", startingAt: 0)) rows \(pad(rowsBeforePolicy[split]!, 6)) before policy; drop keeps \(pad(drop, 6)), impute keeps \(pad(impute, 6)); written \(pad(rowsWritten[split] ?? 0, 6)); unknown categories \(unknown); \(balance)")
    }
    let unlabelled = rowsWithoutLabel.values.reduce(0, +)
    if unlabelled > 0 {
      lines.append("rows without a label (left out): " + rowsWithoutLabel.keys.sorted().map { "\($0) file \(rowsWithoutLabel[$0]!)" }.joined(separator: ", "))
    }
    for filter in filters {
      lines.append("filter     \(filter.rule) (line \(filter.line)): rows in \(pad(filter.rowsIn, 6)), kept \(pad(filter.rowsKept, 6))")
    }
    lines.append(duplicates.renderedText())
    lines.append("")
    lines.append(ColumnProfile.table(columns))
    return lines.joined(separator: "\n")
  }
}

extension DuplicateReport {
  /// `duplicates  N rows repeat an earlier row, M rows conflict in label; shared: test_in_train K, …`.
  func renderedText() -> String {
    let shared = sharedBetweenSplits.keys.sorted().map { "\($0) \(sharedBetweenSplits[$0]!)" }
    return "duplicates \(duplicateRows) rows repeat an earlier row, \(conflictingLabelRows) rows share features with a different label"
      + (shared.isEmpty ? "" : "; rows shared between splits: " + shared.joined(separator: ", "))
  }
}

extension ColumnProfile {
  /// A fixed-width table of column profiles.
  static func table(_ columns: [ColumnProfile]) -> String {
    let width = max(12, columns.map(\.name.count).max() ?? 0)
    var lines = ["column".padding(toLength: width, withPad: " ", startingAt: 0) + "  type         missing  distinct  min / max / mean / std, or top categories"]
    for column in columns {
      let summary: String
      if column.kind == .numeric {
        summary = [column.minimum, column.maximum, column.mean, column.standardDeviation]
          .map { $0.map { String(format: "%.4g", $0) } ?? "-" }.joined(separator: " / ")
      } else {
        summary = column.topCategories.map { "\($0.value) (\($0.count))" }.joined(separator: ", ")
      }
      lines.append(column.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                   + column.kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                   + "  \(pad(column.missing, 7))  \(pad(column.distinct, 8))  \(summary)")
    }
    return lines.joined(separator: "\n")
  }
}

func pad(_ value: Int, _ width: Int) -> String {
  let text = String(value)
  return String(repeating: " ", count: max(0, width - text.count)) + text
}

func percent(_ rate: Double) -> String { String(format: "%.1f%%", rate * 100) }
