import Foundation
import KilnData
import Testing

@Suite struct DelimitedReaderTests {
  private func reader(_ text: String, format: DelimitedFormat = .csv, header: Bool = true) throws -> DelimitedReader {
    try DelimitedReader(bytes: Array(text.utf8), name: "t.csv", format: format, header: header)
  }

  private func records(_ reader: DelimitedReader) throws -> [DelimitedRecord] {
    var records: [DelimitedRecord] = []
    while let record = try reader.nextRecord() { records.append(record) }
    return records
  }

  /// The error `body` throws, which must be a `DatasetError`.
  private func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do {
      try body()
    } catch let error as DatasetError {
      return error
    } catch {
      Issue.record("expected a DatasetError, got \(error)")
    }
    return nil
  }

  @Test func recordsCarryThePhysicalLineTheyStartOn() throws {
    let text = "a,b\r\n\"x\ny\",1\r\n\r\n2,\"p\r\nq\rr\"\r3,4\n# not a comment\n"
    let lines = try records(reader(text)).map(\.line)
    #expect(lines == [2, 5, 8, 9])
  }

  @Test func quotedAndUnquotedValuesAreTheSame() throws {
    let fields = try records(reader("c\nred\n\"red\"\n")).map(\.fields)
    #expect(fields == [["red"], ["red"]])
  }

  @Test func aByteOrderMarkIsNotPartOfTheFirstColumnName() throws {
    #expect(try reader("\u{FEFF}name,value\nx,1\n").columns == ["name", "value"])
  }

  @Test func aRaggedRowIsAnErrorNamingItsLineAndBothCounts() throws {
    let error = datasetError { _ = try reader("a,b,c\n1,2,3\n\"x\ny\",2,3\n4,5\n").readTable() }
    #expect(error?.kind == .malformedRow)
    #expect(error?.message == "t.csv:5: expected 3 fields, found 2")
    #expect(error?.hint?.contains("delimiter (',')") == true)
  }

  @Test func aDuplicatedHeaderNameIsAnErrorNamingItAndBothPositions() throws {
    let error = datasetError { _ = try reader("\n\nage,city,age\n1,2,3\n") }
    #expect(error?.kind == .duplicateColumn)
    #expect(error?.message == "t.csv:3: column 'age' appears twice in the header, as column 1 and column 3")
  }

  @Test func anEmptyHeaderNameIsNamedAsPandasNamesIt() throws {
    #expect(try reader(",score\n0,1\n").columns == ["Unnamed: 0", "score"])
  }

  @Test func invalidUTF8IsAnErrorWithLineAndColumn() throws {
    var bytes = Array("a,b\n1,2\n3,caf".utf8)
    bytes += [0xE9, 0x0A]
    let error = datasetError {
      let reader = try DelimitedReader(bytes: bytes, name: "t.csv")
      while try reader.nextRecord() != nil {}
    }
    #expect(error?.kind == .invalidText)
    #expect(error?.message == "t.csv:3: column 2 ('b'): invalid UTF-8 text")
    #expect(error?.hint?.contains("format.encoding") == true)
  }

  @Test func latin1IsTranscodedToUTF8() throws {
    let bytes: [UInt8] = Array("city\nZ".utf8) + [0xFC] + Array("rich\n".utf8)
    let format = DelimitedFormat(encoding: .latin1)
    let reader = try DelimitedReader(bytes: bytes, name: "t.csv", format: format)
    #expect(try records(reader).map(\.fields) == [["Zürich"]])
  }

  @Test func anUnclosedQuoteIsAnErrorNamingTheLineItOpensOn() throws {
    let error = datasetError { _ = try records(reader("a,b\n1,\"never\nclosed\n")) }
    #expect(error?.kind == .malformedRow)
    #expect(error?.message == "t.csv:2: column 2 ('b'): a quoted field opened on this line is never closed")
  }

  @Test func aFieldLongerThanTheLimitIsAnErrorNamingTheLimit() throws {
    let format = DelimitedFormat(maximumFieldBytes: 8)
    let error = datasetError { _ = try records(reader("a\n\"123456789 and on\n", format: format)) }
    #expect(error?.kind == .limitExceeded)
    #expect(error?.message == "t.csv:2: column 1 ('a'): the field is longer than 8 bytes (format.max_field_bytes)")
    // The limit stops an unclosed quote early even when the data arrives in small chunks.
    let chunked = datasetError {
      let reader = try DelimitedReader(bytes: Array(("a\n\"" + String(repeating: "x", count: 10_000)).utf8), name: "t.csv",
                                       format: format, chunkSize: 16)
      while try reader.nextRecord() != nil {}
    }
    #expect(chunked?.kind == .limitExceeded)
  }

  @Test func aRecordWiderThanTheLimitIsAnErrorNamingTheLimit() throws {
    let format = DelimitedFormat(maximumColumns: 3)
    let error = datasetError { _ = try reader("a,b,c,d\n", format: format) }
    #expect(error?.kind == .limitExceeded)
    #expect(error?.message == "t.csv:1: the record has more than 3 fields (format.max_columns)")
  }

  @Test func commentsSkippedPrefixesAndTrimming() throws {
    let format = DelimitedFormat(delimiter: UInt8(ascii: ";"), comment: UInt8(ascii: "#"),
                                 skippedLinePrefixes: [Array("|1x3".utf8)], trimsSpaces: true)
    let reader = try reader("|1x3 Cross validator\na ; b\n# note\n 1 ; \" x \" # tail\n", format: format)
    #expect(reader.columns == ["a", "b"])
    let records = try records(reader)
    #expect(records == [DelimitedRecord(fields: ["1", " x "], line: 4)])
  }

  @Test func gzipInputIsDecompressedAndACorruptOneIsAnError() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let corpus = packageRoot().appendingPathComponent("Tests/Fixtures/delimited/corpus/gzipped.csv.gz")
    let table = try DelimitedReader.readTable(corpus)
    #expect(table.columns == ["a", "b"] && table.records.map(\.fields) == [["1", "x,y"], ["2", "z"]])
    var bytes = try [UInt8](Data(contentsOf: corpus))
    bytes.removeLast(12)
    let truncated = directory.file("truncated.csv.gz")
    try Data(bytes).write(to: truncated)
    let error = datasetError { _ = try DelimitedReader.readTable(truncated) }
    #expect(error?.message.contains("truncated.csv.gz") == true)
  }

  @Test func theFingerprintIsTheSHA256OfTheFileAsStored() throws {
    let reader = try reader("a\n1\n")
    while try reader.nextRecord() != nil {}
    // printf 'a\n1\n' | sha256sum
    #expect(reader.fingerprint == "309b0e45a73d3fc5325e2b6ed0a01ef8b9cde6b05a5633c1f893f970d52bfddc")
  }
}
