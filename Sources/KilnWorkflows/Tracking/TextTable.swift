/// A plain-text table with columns padded to their widest cell.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  init(header: [String]) {
    self.header = header
  }

  mutating func append(_ row: [String]) {
    rows.append(row)
  }

  func rendered() -> String {
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      cells.enumerated().map { index, cell in
        index == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[index] - cell.count))
      }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
  }
}
