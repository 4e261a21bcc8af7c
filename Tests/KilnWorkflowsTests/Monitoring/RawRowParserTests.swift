import Foundation
@testable import KilnData
import Testing
@testable import KilnWorkflows

@Suite struct RawRowParserTests {
  private func parser(delimiter: String) throws -> RawRowParser {
    let format = try JSONDecoder().decode(DatasetRecipe.RawFormat.self,
                                          from: Data(#"{"delimiter": "\#(delimiter)", "header": false, "missing": ["?"]}"#.utf8))
    let blocks = [FeatureBlock(kind: .numeric, column: "age", name: "age"),
                  FeatureBlock(kind: .categorical, column: "city", name: "city", categories: ["Zürich", "Genève"])]
    let encoding = DatasetEncoding(rawColumns: ["age", "city", "note"], missingTokens: ["?"], missingPolicy: .drop, blocks: blocks,
                                   sensitive: [], format: format)
    return try RawRowParser(encoding: encoding)
  }

  @Test func fieldsAreSplitOnTheDelimiterAndTrimmedOfSpacesAndTabsKeepingEmptyOnesAndUnicode() throws {
    let commas = try parser(delimiter: ",")
    #expect(commas.fields(of: " 42 ,\tZürich\t, a b ") == ["42", "Zürich", "a b"])
    #expect(commas.fields(of: "1,,") == ["1", "", ""])
    #expect(commas.fields(of: "") == [""])
    #expect(commas.fields(of: "é́,x") == ["é́", "x"])
    let semicolons = try parser(delimiter: ";")
    #expect(semicolons.fields(of: "1; Genève ;x,y") == ["1", "Genève", "x,y"])
  }

  @Test func encodingTrimsWhitespaceOnlyWhereThereIsSome() {
    #expect(DatasetEncoding.trimmedOfWhitespace("abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace(" abc\t") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("\u{00A0}abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("") == "")
    #expect(DatasetEncoding.trimmedOfWhitespace("Zürich") == "Zürich")
  }
}
