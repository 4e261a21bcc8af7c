import Foundation
import KilnData
import Testing

/// The corpus of edge cases in `Tests/Fixtures/delimited/`: each file's parse equals pandas'
/// `read_csv(path, dtype=str, keep_default_na=False, engine="c", **options)`, written to
/// `expected/FILE.json` by `make_expected.py` (its README names the pandas version). Where Python's
/// `csv` module reads a file differently (`csv_module_differs` in the expected JSON: blank lines,
/// a byte order mark, `Unnamed: 0`, comments, CR endings…), pandas is the reference, not `csv`.
@Suite struct DelimitedReaderCorpusTests {
  struct Case: Decodable {
    var file: String
    var options: Options
    var note: String?
  }

  /// The pandas options a case uses, and the Kiln format they stand for.
  struct Options: Decodable {
    var sep: String?
    var quotechar: String?
    var quoting: Int?
    var comment: String?
    var na_values: [String]?
    var encoding: String?
    var compression: String?
    var header: String?
    var names: [String]?
    var skipinitialspace: Bool?

    var format: DelimitedFormat {
      DelimitedFormat(delimiter: sep.map { Array($0.utf8)[0] } ?? UInt8(ascii: ","),
                      quote: quoting == 3 ? nil : quotechar.map { Array($0.utf8)[0] } ?? UInt8(ascii: "\""),
                      comment: comment.map { Array($0.utf8)[0] }, trimsSpaces: skipinitialspace ?? false,
                      encoding: encoding.flatMap(DelimitedFormat.TextEncoding.init(name:)) ?? .utf8)
    }
  }

  struct Expected: Decodable {
    var columns: [String]
    var rows: [[String?]]
    var csv_module_differs: Bool
  }

  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/delimited")

  static let cases: [Case] = {
    guard let data = try? Data(contentsOf: folder.appendingPathComponent("cases.json")),
          let cases = try? JSONDecoder().decode([Case].self, from: data) else { return [] }
    return cases
  }()

  @Test func theCorpusIsThere() {
    #expect(Self.cases.count >= 30, "Tests/Fixtures/delimited/cases.json is missing or unreadable")
  }

  /// Reads a case with the reader fed `chunkSize` bytes at a time; nil tokens stand for na_values.
  private func parse(_ testCase: Case, chunkSize: Int = 1 << 20) throws -> (columns: [String], rows: [[String?]]) {
    let url = Self.folder.appendingPathComponent("corpus/\(testCase.file)")
    let bytes = try [UInt8](Data(contentsOf: url))
    let options = testCase.options
    let reader = try DelimitedReader(bytes: bytes, name: testCase.file, format: options.format,
                                     header: options.names == nil, columns: options.names, chunkSize: chunkSize)
    let missing = Set(options.na_values ?? [])
    let table = try reader.readTable()
    return (table.columns, table.records.map { $0.fields.map { missing.contains($0) ? nil : $0 } })
  }

  @Test(arguments: cases.map(\.file)) func parsesAsPandasDoes(file: String) throws {
    let testCase = try #require(Self.cases.first { $0.file == file })
    let data = try Data(contentsOf: Self.folder.appendingPathComponent("expected/\(file).json"))
    let expected = try JSONDecoder().decode(Expected.self, from: data)
    let parsed = try parse(testCase)
    #expect(parsed.columns == expected.columns, "\(file): columns (pandas is the reference\(expected.csv_module_differs ? "; Python's csv module differs here" : ""))")
    #expect(parsed.rows == expected.rows, "\(file): rows (pandas is the reference\(expected.csv_module_differs ? "; Python's csv module differs here" : ""))")
  }

  /// Records cut at every possible place by small chunks parse the same as whole files.
  @Test(arguments: [1, 2, 3, 7, 64]) func chunkBoundariesDoNotChangeTheParse(chunkSize: Int) throws {
    for testCase in Self.cases where !testCase.file.hasSuffix(".gz") && testCase.file != "long_field.csv" {
      let whole = try parse(testCase)
      let chunked = try parse(testCase, chunkSize: chunkSize)
      #expect(chunked.columns == whole.columns && chunked.rows == whole.rows, "\(testCase.file) in chunks of \(chunkSize)")
    }
  }
}
