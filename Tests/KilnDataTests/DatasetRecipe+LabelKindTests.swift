import KilnRecipes
import Foundation
import Testing
@testable import KilnData

@Suite struct DatasetRecipeLabelKindTests {
  private func recipe(label: String) -> String {
    """
    name: r
    version: "1"
    source: s
    license: l
    format: {delimiter: ",", header: false, columns: [a, b, y], missing: []}
    files: {train: t.csv}
    label: \(label)
    columns: {numeric: [a], categorical: [b]}
    sensitive: []
    missing_policy: drop
    """
  }

  private func parseFails(label: String) throws -> DatasetError {
    try #require(throws: DatasetError.self) { try DatasetRecipe.parse(recipe(label: label), file: "r.yaml") }
  }

  @Test func binaryFormWithoutKindStaysBinary() throws {
    let parsed = try DatasetRecipe.parse(recipe(label: "{column: y, positive: \"1\", negative: \"0\"}"), file: "r.yaml")
    #expect(parsed.label.kind == .binary)
    #expect(parsed.label.positive == "1" && parsed.label.negative == "0")
    #expect(parsed.label.classes == nil)
  }

  @Test func multiclassTakesListedClassesOrAuto() throws {
    let listed = try DatasetRecipe.parse(recipe(label: "{column: y, kind: multiclass, classes: [x, y, z]}"), file: "r.yaml")
    #expect(listed.label.kind == .multiclass)
    #expect(listed.label.classes == .listed(["x", "y", "z"]))
    let automatic = try DatasetRecipe.parse(recipe(label: "{column: y, kind: multiclass, classes: auto}"), file: "r.yaml")
    #expect(automatic.label.classes == .automatic)
  }

  @Test func regressionNeedsOnlyTheColumn() throws {
    let parsed = try DatasetRecipe.parse(recipe(label: "{column: y, kind: regression}"), file: "r.yaml")
    #expect(parsed.label.kind == .regression)
  }

  @Test func unknownLabelKeyNamesLineAndNearestKey() throws {
    let error = try parseFails(label: "{column: y, kind: multiclass, clases: auto}")
    #expect(error.kind == .invalidRecipe)
    #expect(error.message.contains("r.yaml:7:") && error.message.contains("unknown key 'clases' in 'label'"), "\(error)")
    #expect(error.hint == "did you mean 'classes'?")
  }

  @Test func unknownKindIsAnErrorWithItsLine() throws {
    let error = try parseFails(label: "{column: y, kind: ordinal}")
    #expect(error.message.contains("line 7") && error.message.contains("label.kind"), "\(error)")
  }

  @Test func eachKindRejectsTheOtherKindsKeys() throws {
    #expect(try parseFails(label: "{column: y, kind: regression, classes: [a, b, c]}").message.contains("'classes' does not apply to a regression label"))
    #expect(try parseFails(label: "{column: y, kind: multiclass, classes: auto, positive: a}").message.contains("'positive' does not apply"))
    #expect(try parseFails(label: "{column: y, positive: a, negative: b, classes: auto}").message.contains("'classes' does not apply to a binary label"))
    #expect(try parseFails(label: "{column: y, kind: multiclass}").message.contains("needs 'classes'"))
    #expect(try parseFails(label: "{column: y, positive: a}").message.contains("needs 'positive' and 'negative'"))
  }

  @Test func multiclassNeedsThreeDistinctClasses() throws {
    let few = try parseFails(label: "{column: y, kind: multiclass, classes: [a, b]}")
    #expect(few.message.contains("at least 3 classes, found 2"))
    #expect(few.hint?.contains("binary form") == true)
    #expect(try parseFails(label: "{column: y, kind: multiclass, classes: [a, b, a]}").message.contains("class 'a' is listed twice"))
    #expect(try parseFails(label: "{column: y, kind: multiclass, classes: all}").message.contains("`auto`"))
  }

  @Test func storedBinarySpecEncodesAsBeforeLabelKinds() throws {
    let spec = DatasetRecipe.LabelSpec(column: "y", positive: "1", negative: "0")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(String(decoding: try encoder.encode(spec), as: UTF8.self) == #"{"column":"y","negative":"0","positive":"1"}"#)
    let old = try JSONDecoder().decode(DatasetRecipe.LabelSpec.self, from: Data(#"{"column":"y","negative":"0","positive":"1"}"#.utf8))
    #expect(old == spec)
  }
}
