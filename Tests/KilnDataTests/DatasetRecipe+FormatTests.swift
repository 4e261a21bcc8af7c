import KilnRecipes
import Foundation
import Testing
@testable import KilnData

/// The recipe's `format:` options a pandas user expects, checked strictly and turned into the reader's format.
@Suite struct DatasetRecipeFormatTests {
  private func recipe(format: String) -> String {
    """
    name: r
    version: "1"
    source: s
    license: l
    format: {\(format)}
    files: {train: t.csv}
    label: {column: y, positive: "1", negative: "0"}
    columns: {numeric: [a], categorical: [b]}
    sensitive: []
    missing_policy: drop
    """
  }

  private func failure(_ format: String) throws -> DatasetError {
    try #require(throws: DatasetError.self) { try DatasetRecipe.parse(recipe(format: format), file: "r.yaml") }
  }

  @Test func theNewKeysParseIntoTheReadersFormat() throws {
    let parsed = try DatasetRecipe.parse(recipe(format: """
      delimiter: ";", header: true, na_values: ["?", NA], quote: "'", comment: "#", encoding: ISO-8859-1,
      trim_spaces: false, max_field_bytes: 4096, max_columns: 20
      """), file: "r.yaml")
    #expect(parsed.format.missing == ["?", "NA"])
    let format = try parsed.format.delimitedFormat()
    #expect(format == DelimitedFormat(delimiter: UInt8(ascii: ";"), quote: UInt8(ascii: "'"), comment: UInt8(ascii: "#"),
                                      trimsSpaces: false, encoding: .latin1, maximumFieldBytes: 4096, maximumColumns: 20))
  }

  @Test func theDefaultsAreCSVWithTrimmedFields() throws {
    let parsed = try DatasetRecipe.parse(recipe(format: "delimiter: \",\", header: true, missing: []"), file: "r.yaml")
    #expect(try parsed.format.delimitedFormat() == DelimitedFormat(trimsSpaces: true))
    #expect(try DatasetRecipe.parse(recipe(format: "delimiter: \",\", header: true, quote: none"), file: "r.yaml")
      .format.delimitedFormat().quote == nil)
  }

  @Test func recipesWithoutTheNewKeysStoreTheSameFormatAsBefore() throws {
    let parsed = try DatasetRecipe.parse(recipe(format: "delimiter: \",\", header: true, missing: [\"?\"]"), file: "r.yaml")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    #expect(String(decoding: try encoder.encode(parsed.format), as: UTF8.self) == #"{"delimiter":",","header":true,"missing":["?"]}"#)
  }

  @Test func badValuesAreErrorsNamingTheKeyAndLine() throws {
    let twoNames = try failure("delimiter: \",\", header: true, missing: [], na_values: [\"?\"]")
    #expect(twoNames.message.contains("'missing' and 'na_values' are two names for the same list"))
    let encoding = try failure("delimiter: \",\", header: true, encoding: cp1252")
    #expect(encoding.message == "r.yaml:5:50: format.encoding: unknown text encoding 'cp1252'")
    #expect(encoding.hint?.contains("latin-1") == true)
    #expect(try failure("delimiter: \",\", header: true, quote: \",\"").message.contains("format.quote: the quote and the delimiter are both ','"))
    #expect(try failure("delimiter: \"ab\", header: true").message.contains("format.delimiter: must be one ASCII character"))
    #expect(try failure("delimiter: \",\", header: true, comment: \"//\"").message.contains("format.comment: must be one ASCII character"))
    #expect(try failure("delimiter: \",\", header: true, max_columns: 0").message.contains("format.max_columns: must be positive"))
    let typo = try failure("delimiter: \",\", header: true, quotechar: \"'\"")
    #expect(typo.message.contains("unknown key 'quotechar' in 'format'"))
  }
}
