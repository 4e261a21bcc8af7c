import Foundation
@testable import KilnData
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

@Suite struct RawRowLayoutTests {
  private let encoding: DatasetEncoding = {
    let blocks = [FeatureBlock(kind: .numeric, column: "age", name: "age"),
                  FeatureBlock(kind: .categorical, column: "city", name: "city", categories: ["Zürich", "Genève"])]
    return DatasetEncoding(rawColumns: ["age", "city", "y"], missingTokens: ["?"], missingPolicy: .drop, blocks: blocks,
                           sensitive: [], label: DatasetRecipe.LabelSpec(column: "y", positive: "1", negative: "0"),
                           format: DatasetRecipe.RawFormat(header: false, columns: ["age", "city", "y"], missing: ["?"]))
  }()

  @Test func aHeaderMapsColumnsByNameAndMustHoldEveryColumnTheModelReads() throws {
    let layout = try RawRowLayout(encoding: encoding, header: ["city", "note", "age"], place: "b.csv:1")
    let fields = try layout.aligned(["Genève", "n", "41"]).get()
    #expect((0..<3).map { layout.value(fields, column: $0) } == ["41", "Genève", nil])
    #expect(throws: MonitoringError.self) { try RawRowLayout(encoding: encoding, header: ["age", "y"], place: "b.csv:1") }
  }

  @Test func withoutAHeaderTheLabelMayBeLeftOutAndOtherWidthsAreRejected() throws {
    let layout = try RawRowLayout(encoding: encoding, header: nil, place: "b.csv:1")
    let short = try layout.aligned(["41", "Zürich"]).get()
    #expect((0..<3).map { layout.value(short, column: $0) } == ["41", "Zürich", nil])
    let full = try layout.aligned(["41", "Zürich", "1"]).get()
    #expect((0..<3).map { layout.value(full, column: $0) } == ["41", "Zürich", "1"])
    guard case .failure(let rejection) = layout.aligned(["41"]) else { Issue.record("expected a rejection"); return }
    #expect(rejection.reason == "expected 3 fields but found 1")
  }

  @Test func missingFeaturesAndUnparsableNumbersAreRejectedWithTheColumn() throws {
    let layout = try RawRowLayout(encoding: encoding, header: nil, place: "b.csv:1")
    var encoder = DatasetEncoding.RowEncoder(encoding)
    var features: [Float] = []
    func problem(_ fields: [String]) throws -> DatasetEncoding.RowProblem? {
      let aligned = try layout.aligned(fields).get()
      return encoder.append({ layout.value(aligned, column: $0) }, to: &features)
    }
    let missing = try #require(try problem(["41", "?", "1"]))
    let number = try #require(try problem(["old", "Zürich", "1"]))
    let infinite = try #require(try problem(["inf", "Zürich", "1"]))
    #expect(features.isEmpty, "a rejected row leaves no features behind")
    #expect(RawRowLayout.rejection(missing).reason == "column 'city' is missing (the dataset drops rows with missing values)")
    #expect(RawRowLayout.rejection(number).reason == "column 'age': cannot parse 'old' as a finite number")
    #expect(infinite == .notANumber(column: "age", text: "inf"))
    #expect(try problem(["41", "Bern", "1"]) == nil)
    #expect(features == [Float(41), 0, 0, 1], "an unseen city goes to the unknown bucket")
    #expect(encoder.unknownCounts == ["city": 1])
  }

  @Test func encodingTrimsWhitespaceOnlyWhereThereIsSome() {
    #expect(DatasetEncoding.trimmedOfWhitespace("abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace(" abc\t") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("\u{00A0}abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("") == "")
    #expect(DatasetEncoding.trimmedOfWhitespace("Zürich") == "Zürich")
  }
}
