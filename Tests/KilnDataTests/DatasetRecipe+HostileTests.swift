import KilnRecipes
import Foundation
import Testing
@testable import KilnData

/// Recipes written to break the importer: each is an error with its place.
@Suite struct DatasetRecipeHostileTests {
  private let base = """
  name: r
  version: "1"
  source: s
  license: l
  format: {delimiter: ",", header: false, columns: [a, b, y], missing: []}
  files: {train: t.csv}
  label: {column: y, positive: "1", negative: "0"}
  columns: {numeric: [a], categorical: [b]}
  sensitive: []
  missing_policy: drop
  """

  @Test(arguments: ["..", "../../elsewhere", ".hidden", "a b", "x/y"])
  func aDatasetNameOutsideTheRuleIsAnErrorWithItsPlaceAndTheRule(name: String) throws {
    let text = base.replacingOccurrences(of: "name: r", with: "name: \"\(name)\"")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.message.contains("r.yaml:1:7: name: '\(name)' is not a valid dataset name"), "\(error)")
    #expect(error.hint?.contains("letters, digits") == true)
  }

  @Test func billionLaughsIsAnErrorWithItsLine() throws {
    var text = base + "\nencoding:\n"
    text += "  lol0: &lol0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    for level in 1...9 {
      text += "  lol\(level): &lol\(level) [\(Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", "))]\n"
    }
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.kind == .invalidRecipe)
    #expect(error.message.hasPrefix("r.yaml:"))
    #expect(error.message.contains("more than 100000 values"), "\(error)")
  }
}
