import Foundation
import KilnMetrics
import Testing
@testable import KilnReport

@Suite struct ReportWriterTests {
  @Test func writesTheFourReportsUnderModelAndVersionLeavingNoTemporaryFiles() throws {
    let reports = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-reports-\(UUID().uuidString)")
    let card = sampleCard()
    let decision = try #require(card.decision)
    let record = PromotionRecord(model: card.modelName, version: card.version, runID: card.lineage.runID, decision: decision.verdict,
                                 forced: false, overrideReason: nil, approver: "ana", stage: "staging", championVersion: nil,
                                 gates: decision.results, lineage: card.lineage, evidence: "evaluation.json", generatedTime: card.generatedTime)
    let files = try ReportWriter.write(card: card, promotion: record, reportsDirectory: reports)
    let directory = reports.appendingPathComponent("adult-income/v3")
    #expect(files.map(\.lastPathComponent) == ReportWriter.fileNames)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ReportWriter.fileNames.sorted())
    let first = try files.map { try Data(contentsOf: $0) }
    try ReportWriter.write(card: card, promotion: record, reportsDirectory: reports)
    #expect(try files.map { try Data(contentsOf: $0) } == first)
    let promotion = try #require(JSONSerialization.jsonObject(with: first[3]) as? [String: Any])
    #expect(promotion["decision"] as? String == "promote")
    #expect(promotion["approver"] as? String == "ana")
    #expect((promotion["gates"] as? [Any])?.count == 2)
    #expect((promotion["lineage"] as? [String: Any])?["run_id"] as? String == "run-123")
  }
}
