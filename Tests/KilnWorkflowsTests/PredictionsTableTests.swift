import Foundation
import KilnWorkflows
import Testing

@Suite struct PredictionsTableTests {
  @Test func quotedFieldsKeepCommasQuotesAndLineNumbers() throws {
    let text = "y,p,\"group, name\"\r\n1,0,\"a, \"\"x\"\"\"\n\n0,1,b\n"
    let table = try PredictionsTable(text: text, path: "t.csv")
    #expect(table.columnNames == ["y", "p", "group, name"])
    #expect(try table.column("group, name", role: "sensitive") == ["a, \"x\"", "b"])
    #expect(table.lineNumbers == [2, 4])
  }

  @Test func headerOnlyFileIsRefusedByTheAudit() throws {
    let table = try PredictionsTable(text: "y,p,sex\n", path: "t.csv")
    let request = FairnessAuditRequest(labelColumn: "y", predictionColumn: "p", sensitiveColumns: ["sex"])
    #expect(throws: PredictionsInputError.self) { try request.run(on: table) }
  }

  @Test func missingSensitiveValueNamesColumnAndLine() throws {
    let table = try PredictionsTable(text: "y,p,sex\n1,1,F\n0,0,\n", path: "t.csv")
    let request = FairnessAuditRequest(labelColumn: "y", predictionColumn: "p", sensitiveColumns: ["sex"], resamples: 0)
    do {
      _ = try request.run(on: table)
      Issue.record("expected an error")
    } catch let error as PredictionsInputError {
      #expect(error.line == 3 && error.column == "sex")
    }
  }
}
