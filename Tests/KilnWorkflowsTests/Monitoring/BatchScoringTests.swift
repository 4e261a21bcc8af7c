import KilnRecipes
import Foundation
import KilnData
import KilnHDF5
import Testing
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// A tiny imported dataset (age, colour, sex → y) and its stored encoding.
private func importedEncoding(in directory: URL) throws -> DatasetEncoding {
  var rows: [String] = []
  for index in 0..<200 {
    let colour = ["red", "green", "blue"][index % 3]
    rows.append("\(20 + index % 50),\(colour),\(index % 4 == 0 ? "Female" : "Male"),\(index % 2)")
  }
  try rows.joined(separator: "\n").write(to: directory.appendingPathComponent("all.csv"), atomically: true, encoding: .utf8)
  let recipe = """
    name: tiny
    version: "1"
    source: generated
    license: CC0
    format: {delimiter: ",", header: false, columns: [age, colour, sex, y], missing: ["?"]}
    split: {file: all.csv, test_fraction: 0.2, seed: 3}
    label: {column: y, positive: "1", negative: "0"}
    columns: {numeric: [age], categorical: [colour, sex]}
    sensitive: [{name: sex, column: sex, input: true}]
    missing_policy: drop
    """
  let recipeURL = directory.appendingPathComponent("dataset.yaml")
  try recipe.write(to: recipeURL, atomically: true, encoding: .utf8)
  let output = directory.appendingPathComponent("tiny.h5")
  _ = try DatasetImporter.importDataset(recipe: recipeURL, output: output)
  let dataset = try KilnDataset.open(output)
  defer { try? dataset.close() }
  return try #require(dataset.metadata.encoding)
}

/// Score = the standardised age squashed by a sigmoid: deterministic and easy to check.
private func ageScorer(width: Int) -> ([Float], Int) -> HeadPredictions {
  { features, rows in .scores((0..<rows).map { 1 / (1 + exp(-Double(features[$0 * width]))) }) }
}

@Suite struct BatchScoringTests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-scoring-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func badRowsGoToTheRejectsFileWithTheirLineAndGoodRowsAreScored() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let encoding = try importedEncoding(in: directory)
    let input = directory.appendingPathComponent("batch.csv")
    try ["30,red,Male,1", "", "abc,red,Male,0", "40,purple,Female", "50,blue,Male,1,extra", "?,red,Male,1", "60, green ,Female,0"]
      .joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("scores.csv")
    let summary = try BatchScoringRequest(encoding: encoding, input: input, output: output, batchSize: 2, threshold: 0.5,
                                          head: .binary, predict: ageScorer(width: encoding.featureCount)).run()
    #expect(summary.rowsRead == 6)
    #expect(summary.rowsScored == 3)
    #expect(summary.rowsRejected == 3)
    #expect(summary.unknownCategories == ["colour": 1])
    #expect(summary.inputFingerprint.count == 64)
    let scores = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    #expect(scores.first == "row_id,line,score,decision")
    #expect(scores.dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") } == ["0,1", "2,4", "5,7"])
    let ageBlock = encoding.blocks[0]
    let expected = 1 / (1 + exp(-(30 - ageBlock.mean) / ageBlock.scale))
    #expect(abs(Double(scores[1].split(separator: ",")[2])! - expected) < 1e-5)
    let rejects = try String(contentsOf: directory.appendingPathComponent("scores.rejects.csv"), encoding: .utf8).split(separator: "\n")
    #expect(rejects.count == 4)
    #expect(rejects[1].hasPrefix("3,column 'age': cannot parse 'abc'"))
    #expect(rejects[2].hasPrefix("5,expected 4 fields but found 5"))
    #expect(rejects[3].hasPrefix("6,column 'age' is missing"))
  }

  @Test func chunkSizeDoesNotChangeTheScores() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let encoding = try importedEncoding(in: directory)
    let input = directory.appendingPathComponent("batch.csv")
    try (0..<50).map { "\(18 + $0),\(["red", "blue"][$0 % 2]),Male,0" }.joined(separator: "\n")
      .write(to: input, atomically: true, encoding: .utf8)
    var outputs: [String] = []
    for batchSize in [1, 7, 1000] {
      let output = directory.appendingPathComponent("scores-\(batchSize).csv")
      _ = try BatchScoringRequest(encoding: encoding, input: input, output: output, batchSize: batchSize, threshold: 0.5,
                                  head: .binary, predict: ageScorer(width: encoding.featureCount)).run()
      outputs.append(try String(contentsOf: output, encoding: .utf8))
    }
    #expect(outputs[0] == outputs[1] && outputs[1] == outputs[2])
    #expect(outputs[0].split(separator: "\n").count == 51)
  }

  @Test func hdf5OutputHoldsRowIdsScoresAndDecisionsAtTheThreshold() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let encoding = try importedEncoding(in: directory)
    let input = directory.appendingPathComponent("batch.csv")
    try ["20,red,Male,1", "70,red,Male,0", "x,red,Male,0", "45,blue,Female,1"].joined(separator: "\n")
      .write(to: input, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("scores.h5")
    let summary = try BatchScoringRequest(encoding: encoding, input: input, output: output, threshold: 0.5,
                                          head: .binary, predict: ageScorer(width: encoding.featureCount)).run()
    let file = try HDF5File.open(output)
    let root = try file.root
    let ids = try root.dataset("row_id").read(as: Int64.self)
    let scores = try root.dataset("score").read(as: Double.self)
    let decisions = try root.dataset("decision").read(as: Int32.self)
    try file.close()
    #expect(ids == [0, 1, 3])
    #expect(decisions == scores.map { $0 >= 0.5 ? 1 : 0 })
    #expect(summary.positives == decisions.filter { $0 == 1 }.count)
  }

  @Test func aDatasetIsScoredInOrderAcrossManyBatches() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let encoding = try importedEncoding(in: directory)
    let input = directory.appendingPathComponent("tiny.h5")
    let dataset = try KilnDataset.open(input)
    let all = try dataset.rows(Array(0..<dataset.metadata.rowCount))
    try dataset.close()
    guard case .scores(let expected) = ageScorer(width: encoding.featureCount)(all.features, all.rowCount) else {
      Issue.record("the age scorer gives scores")
      return
    }
    let output = directory.appendingPathComponent("scores.csv")
    let summary = try BatchScoringRequest(encoding: encoding, input: input, output: output, batchSize: 7, threshold: 0.5,
                                          head: .binary, predict: ageScorer(width: encoding.featureCount)).run()
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").dropFirst()
    #expect(lines.count == all.rowCount && all.rowCount > 20, "several batches of 7")
    #expect(lines.map { Int($0.split(separator: ",")[0]) } == Array(0..<all.rowCount))
    for (line, score) in zip(lines, expected) {
      #expect(abs(Double(line.split(separator: ",")[2])! - score) <= 5e-7)
    }
    #expect(summary.rowsScored == all.rowCount && summary.rowsRead == all.rowCount)
    #expect(summary.positives == expected.filter { $0 >= 0.5 }.count)
  }

  @Test func aHeaderMissingAModelColumnIsAClearErrorAndLeavesNoOutput() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var encoding = try importedEncoding(in: directory)
    encoding.format?.header = true
    let input = directory.appendingPathComponent("batch.csv")
    try ["age,sex,y", "30,Male,1"].joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
    let output = directory.appendingPathComponent("scores.csv")
    let error = try #require(throws: MonitoringError.self) {
      try BatchScoringRequest(encoding: encoding, input: input, output: output, threshold: 0.5,
                              head: .binary, predict: ageScorer(width: encoding.featureCount)).run()
    }
    #expect(error.message.contains("batch.csv:1: the header lacks column colour"))
    #expect(!FileManager.default.fileExists(atPath: output.path))
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
    #expect(leftovers.isEmpty)
  }
}

@Suite struct ScoreFormattingTests {
  func formatted(_ write: (inout CSVLine) -> Void) -> String {
    var line = CSVLine()
    write(&line)
    return String(decoding: line.bytes, as: UTF8.self)
  }

  @Test func scoresAreWrittenWithSixDecimals() {
    #expect(formatted { $0.appendFixedSix(0) } == "0.000000")
    #expect(formatted { $0.appendFixedSix(1) } == "1.000000")
    #expect(formatted { $0.appendFixedSix(0.1234564) } == "0.123456")
    #expect(formatted { $0.appendFixedSix(0.0000125) } == "0.000013")
    #expect(formatted { $0.appendFixedSix(0.9999996) } == "1.000000")
    #expect(formatted { $0.appendFixedSix(.nan) } == "nan")
    #expect(formatted { $0.appendFixedSix(1.5) } == "1.5")
  }

  @Test func integersAreWrittenInDecimal() {
    for value in [0, 7, 10, 99, 1_000_000, -42, Int.max, Int.min] {
      #expect(formatted { $0.append(value) } == String(value))
    }
  }
}
