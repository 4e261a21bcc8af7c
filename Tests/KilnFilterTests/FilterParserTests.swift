import Testing
import KilnFilter

@Suite struct FilterParserTests {
  /// Fields are plain names; `unknown` is rejected, as a user's resolver would.
  func parse(_ text: String) throws -> FilterExpression<String> {
    var parser = FilterParser(text, resolveField: { name -> String in
      if name == "unknown" { throw FilterRejection("unknown column 'unknown'") }
      return name
    })
    return try parser.parse()
  }

  @Test func andBindsTighterThanOrAndParenthesesGroup() throws {
    #expect(try parse("a = 1 or b = 2 and c = 3") == .any([
      .comparison("a", .equal, .number(1)),
      .all([.comparison("b", .equal, .number(2)), .comparison("c", .equal, .number(3))]),
    ]))
    #expect(try parse("(a = 1 OR b = 2) AND c = 3") == .all([
      .any([.comparison("a", .equal, .number(1)), .comparison("b", .equal, .number(2))]),
      .comparison("c", .equal, .number(3)),
    ]))
  }

  @Test func inListsTakeParenthesesOrBracketsAndNot() throws {
    #expect(try parse("sex in ('Female', \"Male\")") == .membership("sex", [.text("Female"), .text("Male")], negated: false))
    #expect(try parse("age not in [17, 90]") == .membership("age", [.number(17), .number(90)], negated: true))
  }

  @Test func rangesBecomeTwoComparisons() throws {
    let expected = FilterExpression<String>.all([.comparison("age", .greaterThanOrEqual, .number(18)), .comparison("age", .lessThan, .number(65))])
    #expect(try parse("18 <= age < 65") == expected)
    #expect(try parse("65 > age >= 18") == .all([.comparison("age", .lessThan, .number(65)), .comparison("age", .greaterThanOrEqual, .number(18))]))
    #expect(try parse("age between 18 and 64 and x = 1") == .all([
      .all([.comparison("age", .greaterThanOrEqual, .number(18)), .comparison("age", .lessThanOrEqual, .number(64))]),
      .comparison("x", .equal, .number(1)),
    ]))
    #expect(try parse("age not between 18 and 64") == .any([.comparison("age", .lessThan, .number(18)), .comparison("age", .greaterThan, .number(64))]))
  }

  @Test func fieldsMayHoldDashesSlashesAndBackquotedParts() throws {
    #expect(try parse("hours-per-week >= 40") == .comparison("hours-per-week", .greaterThanOrEqual, .number(40)))
    #expect(try parse("`capital gain` != 0") == .comparison("capital gain", .notEqual, .number(0)))
    #expect(try parse("income like '>50K%'") == .comparison("income", .like, .text(">50K%")))
  }

  @Test func aRangePointingBothWaysIsRejectedAtItsSecondOperator() throws {
    let error = #expect(throws: FilterSyntaxError.self) { try parse("18 <= age > 65") }
    #expect(error?.offset == 10)
    #expect(error?.message.contains("same way") == true)
  }

  @Test func aRejectedFieldIsReportedAtItsColumnWithACaret() throws {
    let error = #expect(throws: FilterSyntaxError.self) { try parse("a = 1 and unknown = 2") }
    #expect(error?.offset == 10)
    #expect(error?.location == "column 11")
    #expect(error?.description == "column 11: unknown column 'unknown'")
    #expect(error?.pointedOut() == "filter error at column 11: unknown column 'unknown'\n  a = 1 and unknown = 2\n            ^")
  }

  @Test func malformedListsAndDanglingWordsAreErrors() throws {
    #expect(throws: FilterSyntaxError.self) { try parse("a in (1, 2") }
    #expect(throws: FilterSyntaxError.self) { try parse("a in 1") }
    #expect(throws: FilterSyntaxError.self) { try parse("a = 1 b = 2") }
    #expect(throws: FilterSyntaxError.self) { try parse("(a = 1") }
    #expect(throws: FilterSyntaxError.self) { try parse("") }
    let unquoted = #expect(throws: FilterSyntaxError.self) { try parse("sex = Male") }
    #expect(unquoted?.message == "expected a number or a quoted string")
    #expect(unquoted?.hint == "write 'Male' in quotes")
    #expect(unquoted?.hint(followedBy: "see the manual") == "write 'Male' in quotes; see the manual")
  }

  /// Found by the `filter` fuzzer: an empty backquoted name at the end of the text crashed.
  @Test func anEmptyBackquotedNameIsAnError() throws {
    for text in ["``", "a = 1 and ``", "`` = 1"] {
      let error = #expect(throws: FilterSyntaxError.self) { try parse(text) }
      #expect(error != nil, "\(text)")
    }
  }
}
