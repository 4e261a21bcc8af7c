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
    #expect(try layout.row(of: ["Genève", "n", "41"]).get() == ["41", "Genève", nil])
    #expect(throws: MonitoringError.self) { try RawRowLayout(encoding: encoding, header: ["age", "y"], place: "b.csv:1") }
  }

  @Test func withoutAHeaderTheLabelMayBeLeftOutAndOtherWidthsAreRejected() throws {
    let layout = try RawRowLayout(encoding: encoding, header: nil, place: "b.csv:1")
    #expect(try layout.row(of: ["41", "Zürich"]).get() == ["41", "Zürich", nil])
    #expect(try layout.row(of: ["41", "Zürich", "1"]).get() == ["41", "Zürich", "1"])
    guard case .failure(let rejection) = layout.row(of: ["41"]) else { Issue.record("expected a rejection"); return }
    #expect(rejection.reason == "expected 3 fields but found 1")
  }

  @Test func missingFeaturesAndUnparsableNumbersAreRejectedWithTheColumn() throws {
    let layout = try RawRowLayout(encoding: encoding, header: nil, place: "b.csv:1")
    guard case .failure(let missing) = layout.row(of: ["41", "?", "1"]),
          case .failure(let number) = layout.row(of: ["old", "Zürich", "1"]) else { Issue.record("expected rejections"); return }
    #expect(missing.reason == "column 'city' is missing (the dataset drops rows with missing values)")
    #expect(number.reason == "column 'age': cannot parse 'old' as a finite number")
  }

  @Test func encodingTrimsWhitespaceOnlyWhereThereIsSome() {
    #expect(DatasetEncoding.trimmedOfWhitespace("abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace(" abc\t") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("\u{00A0}abc") == "abc")
    #expect(DatasetEncoding.trimmedOfWhitespace("") == "")
    #expect(DatasetEncoding.trimmedOfWhitespace("Zürich") == "Zürich")
  }
}
