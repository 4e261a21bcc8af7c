import Foundation
import KilnHDF5
import Testing
@testable import KilnData

/// Stored label kinds: old files, regression targets through the loaders, validation, profiles.
@Suite struct KilnDatasetLabelKindTests {
  /// Rows r with feature r, target r / 2 (or class r mod 3), group r mod 2.
  private func write(_ url: URL, rows: Int, regression: Bool, splits: [String: [UInt32]]? = nil) throws {
    let writer = try KilnDatasetWriter(url: url, header: DatasetHeader(name: "kinds", version: "1", source: "tests", license: "none"),
                                       rowCount: rows, featureNames: ["f"], chunkRows: 4)
    try (0..<rows).map(Float.init).withUnsafeBufferPointer { try writer.appendFeatures($0) }
    let label = regression ? LabelColumn(name: "t", targets: (0..<rows).map { Float($0) / 2 })
                           : LabelColumn(name: "c", classes: ["x", "y", "z"], codes: (0..<rows).map { Int32($0 % 3) })
    try writer.finish(label: label, sensitive: [SensitiveColumn(name: "group", categories: ["a", "b"], codes: (0..<rows).map { Int32($0 % 2) },
                                                                isModelInput: false, column: "g")],
                      splits: splits ?? ["train": (0..<UInt32(rows)).map { $0 }], encoding: nil)
  }

  @Test func fileWithoutKindAttributeOpensAsBinaryWithItsFingerprint() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("old.h5")
    try writeSyntheticDataset(at: url, rows: 8)
    let fingerprint = try KilnDataset.open(url).metadata.fingerprint
    do {
      let file = try HDF5File.open(url, mode: .readWrite)
      let label = try file.root.dataset("label")
      #expect(label.hasAttribute("kind"))
      try label.deleteAttribute("kind")
      try file.close()
    }
    let dataset = try KilnDataset.open(url)
    #expect(dataset.metadata.labelKind == .binary)
    #expect(dataset.metadata.fingerprint == fingerprint)
    #expect(KilnDataset.validate(url).isEmpty, "binary fingerprints do not depend on the kind attribute")
  }

  @Test func regressionTargetsComeThroughShardedPaddedLoaders() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let url = directory.file("r.h5")
    try write(url, rows: 10, regression: true)
    var seen: [Int: Float] = [:]
    for rank in 0..<3 {
      let loader = try DataLoader(dataset: KilnDataset.open(url), split: "train", configuration: DataLoaderConfiguration(
        batchSize: 2, shuffle: .full, seed: 5, rank: rank, worldSize: 3, sharding: .pad))
      for batch in loader.epoch(0) {
        #expect(batch.labels.isEmpty)
        #expect(batch.targets.count == batch.rowCount)
        for (row, target) in zip(batch.rowIndices, batch.targets) {
          #expect(target == Float(row) / 2, "row \(row) carries target \(target)")
          seen[row] = target
        }
      }
      #expect(loader.lastError == nil)
    }
    #expect(seen.count == 10)
  }

  @Test func regressionFingerprintCoversTheTargets() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try write(directory.file("a.h5"), rows: 6, regression: true)
    #expect(KilnDataset.validate(directory.file("a.h5")).isEmpty)
    do {
      let file = try HDF5File.open(directory.file("a.h5"), mode: .readWrite)
      try file.root.dataset("label").write([Float](repeating: 1, count: 6))
      try file.close()
    }
    #expect(KilnDataset.validate(directory.file("a.h5")).contains { $0.contains("fingerprint") })
  }

  @Test func validateFindsCodesOutOfRangeAndNonFiniteTargets() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try write(directory.file("c.h5"), rows: 6, regression: false)
    try write(directory.file("r.h5"), rows: 6, regression: true)
    do {
      let file = try HDF5File.open(directory.file("c.h5"), mode: .readWrite)
      try file.root.dataset("label").write([Int32]([0, 1, 2, 3, 0, 1]))
      try file.close()
      let regression = try HDF5File.open(directory.file("r.h5"), mode: .readWrite)
      try regression.root.dataset("label").write([Float]([0, .nan, 1, 2, 3, 4]))
      try regression.close()
    }
    #expect(KilnDataset.validate(directory.file("c.h5"), verifyFingerprint: false)
      == ["/label: code 3 of row 3 is outside 0..<3 (the classes x, y, z)"])
    #expect(KilnDataset.validate(directory.file("r.h5"), verifyFingerprint: false)
      == ["/label: target of row 1 is nan; regression targets must be finite"])
  }

  @Test func profileShowsClassBalanceOrTargetStatisticsPerGroup() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try write(directory.file("c.h5"), rows: 6, regression: false)
    try write(directory.file("r.h5"), rows: 6, regression: true)
    let classes = try DatasetProfile.profile(of: KilnDataset.open(directory.file("c.h5")))
    #expect(classes.classCounts == ["x": 2, "y": 2, "z": 2])
    #expect(classes.classCountsByGroup?["group"]?["a"] == ["x": 1, "y": 1, "z": 1])
    #expect(classes.text().contains("multiclass, 3 classes over 6 rows"))
    let targets = try DatasetProfile.profile(of: KilnDataset.open(directory.file("r.h5")))
    #expect(targets.targetStatistics?.mean == 1.25)
    #expect(targets.targetStatistics?.maximum == 2.5)
    // Group a holds rows 0, 2, 4: targets 0, 1, 2.
    #expect(targets.targetStatisticsByGroup?["group"]?["a"]?.mean == 1)
    #expect(targets.balanceByGroup.isEmpty)
    let text = targets.text()
    #expect(text.contains("regression target") && text.contains("by group group:"), "\(text)")
  }
}
