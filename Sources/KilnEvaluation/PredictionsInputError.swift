import KilnOutput
import KilnData
import KilnConfiguration
import KilnTraining

/// Bad predictions input: says what failed, where (file, line, column) and what to do.
public struct PredictionsInputError: KilnError, Equatable {
  /// The file.
  public var path: String
  /// The file line (1 is the header), when the problem is on one line.
  public var line: Int?
  /// The column, when the problem is in one column.
  public var column: String?
  /// What is wrong.
  public var message: String
  /// What to do about it.
  public var hint: String?

  public init(path: String, line: Int? = nil, column: String? = nil, message: String, hint: String?) {
    self.path = path
    self.line = line
    self.column = column
    self.message = message
    self.hint = hint
  }

  /// `PATH[:LINE][ column "NAME"]`.
  public var location: String? {
    var location = path
    if let line { location += ":\(line)" }
    if let column { location += " column \"\(column)\"" }
    return location
  }
}

extension DelimitedTable {
  /// The values of the column named `name` (`role` says what it holds, for the message).
  /// - Throws: `PredictionsInputError` naming the column and the columns that exist.
  func values(ofColumn name: String, role: String) throws -> [String] {
    guard let index = index(of: name) else {
      throw PredictionsInputError(path: file, column: name, message: "\(role) column \"\(name)\" does not exist",
                                  hint: "columns are: \(columns.joined(separator: ", "))")
    }
    return records.map { $0.fields[index] }
  }

  /// The line of data row `row`.
  func line(ofRow row: Int) -> Int { records[row].line }
}
