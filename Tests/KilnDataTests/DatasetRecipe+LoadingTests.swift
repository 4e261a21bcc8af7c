import KilnRecipes
import Foundation
import Testing
@testable import KilnData

@Suite struct DatasetRecipeLoadingTests {
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

  @Test func aValidRecipeParses() throws {
    let recipe = try DatasetRecipe.parse(base, file: "r.yaml")
    #expect(recipe.columns.numeric == ["a"])
    #expect(recipe.missingPolicy == .drop)
    #expect(recipe.encoding == nil)
  }

  @Test func filesAndSplitAreExclusive() throws {
    let text = base + "\nsplit: {file: t.csv, test_fraction: 0.3, seed: 1}"
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.message.contains("'files' and 'split' are exclusive"))
  }

  @Test func fractionsOutsideTheOpenUnitIntervalAreRejectedWithTheirLine() throws {
    let text = base + "\nvalidation: {fraction: 1.5, seed: 3}"
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.message.contains("r.yaml:11:24: validation.fraction: must lie in (0, 1), got 1.5"))
  }

  @Test func binsNeedOneMoreLabelThanEdges() throws {
    let text = base.replacingOccurrences(of: "sensitive: []", with: "sensitive: [{name: band, column: a, input: false, bins: {edges: [1, 2], labels: [x, y]}}]")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.message.contains("needs one more label than edges"))
  }

  @Test func unknownNestedKeyNamesItsSectionAndSuggestion() throws {
    let text = base.replacingOccurrences(of: "label: {column: y,", with: "label: {colum: y, column: y,")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.message.contains("r.yaml:7:"))
    #expect(error.message.contains("unknown key 'colum' in 'label'"))
    #expect(error.hint == "did you mean 'column'?")
  }

  @Test func aWrongTypeNamesTheKeyAndLine() throws {
    let text = base.replacingOccurrences(of: "missing_policy: drop", with: "missing_policy: sometimes")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.kind == .invalidRecipe)
    #expect(error.message.contains("line 10: missing_policy"))
  }

  @Test func unknownColumnAgainstTheDeclaredColumnsNamesItsLine() throws {
    let text = base.replacingOccurrences(of: "numeric: [a]", with: "numeric: [aa]")
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
    #expect(error.kind == .unknownColumn)
    #expect(error.message.contains("r.yaml:8:20: columns.numeric: unknown column 'aa'"))
    #expect(error.hint == "did you mean 'a'?")
  }

  @Test func aLabelListedAsAFeatureIsRejectedWithOrWithoutAHeaderRow() throws {
    for format in ["{delimiter: \",\", header: false, columns: [a, b, y], missing: []}",
                   "{delimiter: \",\", header: true, missing: []}"] {
      let text = base
        .replacingOccurrences(of: "{delimiter: \",\", header: false, columns: [a, b, y], missing: []}", with: format)
        .replacingOccurrences(of: "numeric: [a]", with: "numeric: [a, y]")
      let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse(text, file: "r.yaml") }
      #expect(error.message.contains("the label column 'y' is also listed as a feature"), "\(format): \(error.message)")
      #expect(error.hint?.contains("columns.numeric") == true)
    }
  }

  @Test func anEmptyRecipeIsReported() throws {
    let error = try #require(throws: DatasetError.self) { try DatasetRecipe.parse("", file: "r.yaml") }
    #expect(error.kind == .emptyFile)
  }

  @Test func nearestNameOnlySuggestsCloseMatches() {
    #expect(nearestName(to: "colour", in: ["color", "size"]) == "color")
    #expect(nearestName(to: "zzzzzz", in: ["color", "size"]) == nil)
  }
}
