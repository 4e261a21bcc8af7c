/// A plain-text table with columns padded to their widest cell.
package struct TextTable {
  package var header: [String]
  package var rows: [[String]] = []

  package init(header: [String]) {
    self.header = header
  }

  package mutating func append(_ row: [String]) {
    rows.append(row)
  }

  /// The table as lines; widths count Unicode scalars, which is what a terminal shows for the
  /// characters Kiln prints (no combining marks or wide characters).
  package func rendered() -> String {
    let allRows = [header] + rows
    let lengths = allRows.map { $0.map(\.unicodeScalars.count) }
    var widths = Array(repeating: 0, count: header.count)
    for row in lengths {
      for (index, length) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], length) }
    }
    // Assembled as bytes: listings render tens of thousands of cells.
    var output: [UInt8] = []
    output.reserveCapacity(allRows.count * (widths.reduce(0, +) + 2 * widths.count + 1))
    for (row, rowLengths) in zip(allRows, lengths) {
      for (index, cell) in row.enumerated() {
        output.append(contentsOf: cell.utf8)
        if index < row.count - 1 {
          let padding = (index < widths.count ? widths[index] : 0) - rowLengths[index] + 2
          output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        }
      }
      output.append(UInt8(ascii: "\n"))
    }
    return String(decoding: output, as: UTF8.self)
  }
}
