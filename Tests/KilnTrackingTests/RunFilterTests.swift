import Testing
import KilnFilter
@testable import KilnTracking

@Suite struct RunFilterTests {
  @Test func comparisonsJoinedByAndParse() throws {
    let filter = try RunFilter.parse("metrics.test.accuracy > 0.85 and params.training.batch_size = 256 AND status = 'finished'")
    #expect(filter == .all([
      .comparison(.metric("test.accuracy"), .greaterThan, .number(0.85)),
      .comparison(.parameter("training.batch_size"), .equal, .number(256)),
      .comparison(.attribute(.status), .equal, .text("finished")),
    ]))
  }

  @Test func backquotedKeysAndCompactOperatorsParse() throws {
    let filter = try RunFilter.parse("metrics.`val loss`<=1e-3 and tags.owner != \"ana\"")
    #expect(filter == .all([
      .comparison(.metric("val loss"), .lessThanOrEqual, .number(0.001)),
      .comparison(.tag("owner"), .notEqual, .text("ana")),
    ]))
  }

  @Test func anUnknownOperatorIsReportedAtItsColumn() throws {
    let error = #expect(throws: TrackingError.self) { try RunFilter.parse("metrics.test.accuracy >> 0.85") }
    #expect(error?.message.contains("column 23") == true)
    #expect(error?.message.contains("                      ^") == true)
  }

  @Test func aMissingValueIsReportedAtTheEnd() throws {
    let error = #expect(throws: TrackingError.self) { try RunFilter.parse("metrics.a > 1 and params.b =") }
    #expect(error?.message.contains("column 29") == true)
  }

  @Test func anUnknownFieldIsNamedAtItsColumn() throws {
    let error = #expect(throws: TrackingError.self) { try RunFilter.parse("metrics.a > 1 and accuracy > 2") }
    #expect(error?.message.contains("column 19") == true)
    #expect(error?.message.contains("'accuracy'") == true)
  }

  @Test func orBindsLooserThanAnd() throws {
    let filter = try RunFilter.parse("metrics.a > 1 or metrics.b > 2 and status = 'failed'")
    #expect(filter == .any([
      .comparison(.metric("a"), .greaterThan, .number(1)),
      .all([.comparison(.metric("b"), .greaterThan, .number(2)), .comparison(.attribute(.status), .equal, .text("failed"))]),
    ]))
  }

  @Test func anUnknownStatusIsNamedAtItsValue() throws {
    let error = #expect(throws: TrackingError.self) { try RunFilter.parse("status in ('finished', 'done')") }
    #expect(error?.message.contains("unknown status 'done'") == true)
  }

  @Test func anUnquotedWordValueAsksForQuotes() throws {
    let error = #expect(throws: TrackingError.self) { try RunFilter.parse("status = finished") }
    #expect(error?.message.contains("column 10") == true)
  }

  @Test func sortKeysParseWithDirection() throws {
    #expect(try RunFilter.parseSort("-metrics.test.accuracy") == RunSort(.metric("test.accuracy"), descending: true))
    #expect(try RunFilter.parseSort("start_time") == RunSort(.attribute(.startTime)))
    #expect(throws: TrackingError.self) { try RunFilter.parseSort("-nonsense") }
  }
}
