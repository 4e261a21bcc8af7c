import Foundation
import Testing
@testable import KilnData

@Suite struct DatasetProfileTests {
  @Test func profileCountsBalancePerGroupIntersectionAndDuplicates() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("p.h5")
    let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "p", version: "2", source: "", license: ""),
                                       rowCount: 4, featureNames: ["a", "b"])
    // Rows 0 and 2 are identical (features and label).
    try [Float(1), 0, 2, 5, 1, 0, 4, 7].withUnsafeBufferPointer { try writer.appendFeatures($0) }
    try writer.finish(label: LabelColumn(name: "y", classes: ["no", "yes"], codes: [1, 0, 1, 1]),
                      sensitive: [SensitiveColumn(name: "sex", categories: ["f", "m"], codes: [0, 0, 1, 1], isModelInput: true, column: "sex"),
                                  SensitiveColumn(name: "band", categories: ["young", "old"], codes: [0, 1, 0, -1], isModelInput: false, column: "age")],
                      splits: ["train": [0, 1, 2, 3]], encoding: nil)
    let profile = try DatasetProfile.profile(of: KilnDataset.open(url))
    #expect(profile.version == "2")
    #expect(profile.duplicateRows == 1)
    #expect(profile.labelBalance == DatasetProfile.Balance(rows: 4, positives: 3))
    #expect(profile.balanceByGroup["sex"]?["f"] == DatasetProfile.Balance(rows: 2, positives: 1))
    #expect(profile.balanceByGroup["band"]?["<missing>"] == DatasetProfile.Balance(rows: 1, positives: 1))
    #expect(profile.balanceByIntersection["band×sex"]?["young×m"] == DatasetProfile.Balance(rows: 1, positives: 1))
    let b = try #require(profile.features.first { $0.name == "b" })
    #expect(b.minimum == 0 && b.maximum == 7)
    #expect(abs((b.mean ?? 0) - 3) < 1e-12)
    #expect(b.distinct == 3)
    #expect(profile.text().contains("by intersection band×sex:"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(profile.json().utf8)) as? [String: Any])
    let duplicates = try #require(json["duplicates"] as? [String: Any])
    #expect(duplicates["duplicate_rows"] as? Int == 1)
    #expect(duplicates["conflicting_label_rows"] as? Int == 0)
  }

  @Test func duplicatesWithConflictingLabelsAndRowsSharedBetweenSplitsAreCounted() {
    // Rows 0, 1 and 3 share features; 0 and 1 disagree in label; row 3 (test) repeats train's row 0.
    let report = DuplicateReport(features: [1, 0, 1, 0, 2, 2, 1, 0, 3, 3], featureCount: 2, labels: [1, 0, 1, 1, 0], targets: [],
                                 splits: ["train": [0, 1, 2], "test": [3, 4]])
    #expect(report.duplicateRows == 1)
    #expect(report.conflictingLabelRows == 3)
    #expect(report.sharedBetweenSplits == ["test_in_train": 1])
    let regression = DuplicateReport(features: [1, 1, 1], featureCount: 1, labels: [], targets: [0.5, 0.5, 0.25],
                                     splits: ["train": [0], "validation": [1], "test": [2]])
    #expect(regression.duplicateRows == 1)
    #expect(regression.conflictingLabelRows == 3)
    #expect(regression.sharedBetweenSplits == ["validation_in_train": 1, "test_in_train": 1, "test_in_validation": 1])
  }
}
