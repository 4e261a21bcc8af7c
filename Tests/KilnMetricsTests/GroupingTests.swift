@testable import KilnMetrics
import Testing

@Suite struct GroupingTests {
  @Test func numericLabelsSortNumericallyAndOthersByCodePoint() {
    #expect(Grouping(SensitiveAttribute(name: "code", values: ["10", "2", "7", "2"])).groupLabels == [["2"], ["7"], ["10"]])
    #expect(Grouping(SensitiveAttribute(name: "sex", values: ["b", "B", "a"])).groupLabels == [["B"], ["a"], ["b"]])
    #expect(Grouping(SensitiveAttribute(name: "mixed", values: ["nan", "1", "inf"])).groupLabels == [["1"], ["inf"], ["nan"]])
  }

  @Test func intersectionIsTheFullCartesianProductIncludingEmptyCells() {
    let sex = Grouping(SensitiveAttribute(name: "sex", values: ["F", "M", "M"]))
    let race = Grouping(SensitiveAttribute(name: "race", values: ["x", "x", "y"]))
    let both = Grouping(intersecting: [sex, race])
    #expect(both.name == "sex&race")
    #expect(both.groupLabels == [["F", "x"], ["F", "y"], ["M", "x"], ["M", "y"]])
    #expect(both.groupSizes() == [1, 0, 1, 1])
  }
}
