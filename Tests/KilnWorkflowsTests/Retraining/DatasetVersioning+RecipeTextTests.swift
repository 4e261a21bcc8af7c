import KilnRecipes
import Foundation
import KilnData
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct DatasetVersioningRecipeTextTests {
  static let commented = """
    # A dataset for the retraining tests.
    name: toy
    version: "1"   # bumped by retrain
    source: generated
    license: none
    format:
      delimiter: ","
      header: true
      missing: ["?"]   # the missing-value token
    files:
      # the raw files, relative to this recipe
      train: raw/train.csv
      test: 'raw/test.csv'  # kept as is
    validation: {fraction: 0.2, seed: 3}
    label: {column: y, positive: "yes", negative: "no"}
    columns: {numeric: [x1, x2], categorical: [group]}
    sensitive:
      - {name: group, column: group, input: true}   # audited
    missing_policy: drop
    """

  @Test func theDerivedRecipeKeepsEveryCommentAndDecodesStrictlyToTheDerivedRecipe() throws {
    let parent = try DatasetRecipe.parse(Self.commented, file: "dataset.yaml")
    let derived = DatasetVersioning.derivedRecipe(parent, version: 2, trainName: "toy-train.csv", parentIsVersion: false)
    let text = try DatasetVersioning.derivedRecipeText(parentText: Self.commented, parent: parent, derived: derived, file: "dataset.yaml")
    for comment in ["# A dataset for the retraining tests.", "# bumped by retrain", "# the missing-value token",
                    "# the raw files, relative to this recipe", "# kept as is", "# audited"] {
      #expect(text.contains(comment), "lost '\(comment)'")
    }
    #expect(try DatasetRecipe.parse(text, file: "v2/dataset.yaml") == derived)
    #expect(text.contains(#"version: "2"   # bumped by retrain"#))
    #expect(text.contains(#"test: "../../raw/test.csv"  # kept as is"#))
    // Only the three lines whose values change differ.
    let before = Self.commented.split(separator: "\n", omittingEmptySubsequences: false)
    let after = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(before.count == after.count)
    #expect(zip(before, after).filter { $0 != $1 }.count == 3)
  }

  @Test func aFlowStyleFilesMappingIsEditedInPlace() throws {
    let flow = Self.commented.replacingOccurrences(of: """
      files:
        # the raw files, relative to this recipe
        train: raw/train.csv
        test: 'raw/test.csv'  # kept as is
      """, with: "files: {train: raw/train.csv, test: raw/test.csv}  # both files")
    let parent = try DatasetRecipe.parse(flow, file: "dataset.yaml")
    let derived = DatasetVersioning.derivedRecipe(parent, version: 4, trainName: "toy-train.csv", parentIsVersion: true)
    let text = try DatasetVersioning.derivedRecipeText(parentText: flow, parent: parent, derived: derived, file: "dataset.yaml")
    #expect(text.contains(#"files: {train: "toy-train.csv", test: raw/test.csv}  # both files"#), "\(text)")
    #expect(try DatasetRecipe.parse(text, file: "v4/dataset.yaml") == derived)
  }

  @Test func aValueThatCannotBeEditedInPlaceFallsBackToAFreshRecipe() throws {
    let folded = Self.commented.replacingOccurrences(of: "  train: raw/train.csv", with: "  train: >-\n    raw/train.csv")
    let parent = try DatasetRecipe.parse(folded, file: "dataset.yaml")
    let derived = DatasetVersioning.derivedRecipe(parent, version: 2, trainName: "toy-train.csv", parentIsVersion: false)
    let text = try DatasetVersioning.derivedRecipeText(parentText: folded, parent: parent, derived: derived, file: "dataset.yaml")
    #expect(try DatasetRecipe.parse(text, file: "v2/dataset.yaml") == derived)
    #expect(!text.contains("# bumped by retrain"))
  }
}
