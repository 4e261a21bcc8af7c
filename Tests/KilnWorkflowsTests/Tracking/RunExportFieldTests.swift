import Testing
@testable import KilnRuns

@Suite struct RunExportFieldTests {
  @Test func csvFieldsWithSeparatorsAreQuoted() {
    #expect(RunExport.field("plain") == "plain")
    #expect(RunExport.field("a,b") == "\"a,b\"")
    #expect(RunExport.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
  }
}
