import Foundation
import Testing
import KilnReport
import KilnTracking

@Suite struct RunFormattingTests {
  @Test func sparklinesSpanTheLowestToTheHighestBlock() {
    #expect(RunFormatting.sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█")
    #expect(RunFormatting.sparkline([3, 3]) == "▄▄")
    #expect(RunFormatting.sparkline([]) == "")
  }

  @Test func numbersKeepFourSignificantDigits() {
    #expect(RunFormatting.number(0.86123) == "0.8612")
    #expect(RunFormatting.number(256) == "256")
    #expect(RunFormatting.number(1234.567) == "1235")
    #expect(RunFormatting.number(nil) == "-")
    #expect(RunFormatting.number(.nan) == "nan")
  }

  @Test func timesAreUTC() {
    #expect(RunFormatting.time(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00")
    #expect(RunFormatting.time(Date(timeIntervalSince1970: 1_800_000_061)) == "2027-01-15 08:01:01")
  }
}
