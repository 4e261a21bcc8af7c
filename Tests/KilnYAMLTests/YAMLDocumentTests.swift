import KilnYAML
import Testing

@Suite struct YAMLDocumentTests {
  @Test func theLimitsAreCheckedBeforeTheTreeIsWalked() throws {
    #expect(throws: YAMLDocument.LimitError.self) {
      try YAMLDocument.compose(String(repeating: "a", count: 100), limits: .init(maximumBytes: 10))
    }
    #expect(throws: YAMLDocument.LimitError.self) {
      try YAMLDocument.compose("a: [[[1]]]", limits: .init(maximumDepth: 3))
    }
    #expect(throws: YAMLDocument.LimitError.self) {
      try YAMLDocument.compose("a: &x [1, 2, 3]\nb: [*x, *x, *x]", limits: .init(maximumValues: 12))
    }
    #expect(try YAMLDocument.compose("a: &x [1, 2, 3]\nb: [*x, *x, *x]", limits: .init(maximumValues: 20)) != nil)
  }}
