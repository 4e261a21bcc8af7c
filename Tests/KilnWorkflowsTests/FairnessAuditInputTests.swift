import Foundation
import KilnData
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline
import Testing

@Suite struct FairnessAuditInputTests {
  private func table(_ text: String) throws -> DelimitedTable {
    try DelimitedReader(bytes: Array(text.utf8), name: "t.csv").readTable()
  }

  @Test func quotedFieldsKeepCommasQuotesAndLineNumbers() throws {
    let table = try table("y,p,\"group, name\"\r\n1,0,\"a, \"\"x\"\"\"\n\n0,1,b\n")
    #expect(table.columns == ["y", "p", "group, name"])
    #expect(table.records.map(\.fields) == [["1", "0", "a, \"x\""], ["0", "1", "b"]])
    #expect(table.records.map(\.line) == [2, 4])
  }

  @Test func headerOnlyFileIsRefusedByTheAudit() throws {
    let request = FairnessAuditRequest(labelColumn: "y", predictionColumn: "p", sensitiveColumns: ["sex"])
    #expect(throws: PredictionsInputError.self) { try request.run(on: table("y,p,sex\n")) }
  }

  @Test func missingSensitiveValueNamesColumnAndLine() throws {
    let request = FairnessAuditRequest(labelColumn: "y", predictionColumn: "p", sensitiveColumns: ["sex"], resamples: 0)
    do {
      _ = try request.run(on: table("y,p,sex\n1,1,F\n0,0,\n"))
      Issue.record("expected an error")
    } catch let error as PredictionsInputError {
      #expect(error.line == 3 && error.column == "sex")
    }
  }

  @Test func aQuotedGroupIsTheSameGroupAsTheUnquotedOne() throws {
    let request = FairnessAuditRequest(labelColumn: "y", predictionColumn: "p", sensitiveColumns: ["sex"], resamples: 0)
    let report = try request.run(on: table("y,p,sex\n1,1,F\n0,0,\"F\"\n1,0,M\n"))
    let groups = try #require(report.sections.first?.groups.map(\.name))
    #expect(Set(groups) == ["F", "M"])
  }
}
