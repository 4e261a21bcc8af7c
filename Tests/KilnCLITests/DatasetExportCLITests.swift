import Foundation
import KilnHDF5
import Testing

@Suite struct DatasetExportCLITests {
  @Test func theTestSplitsRawRowsFeedMonitorAndMatchTheRunsFigures() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    #expect(trained.status == 0, "\(trained.stdout)\(trained.stderr)")
    let run = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }).dropFirst(4).prefix { $0 != ":" }
    let evaluated = try runKiln(["evaluate", "--run", String(run), "--json"], in: project.root)
    #expect(evaluated.status == 0, "\(evaluated.stdout)\(evaluated.stderr)")

    let inspected = try runKiln(["dataset", "inspect", "datasets/toy/toy.h5", "--json"], in: project.root)
    let profile = try #require(try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any])
    let testRows = try #require((profile["splits"] as? [String: Any])?["test"] as? Int)

    // $ kiln dataset export datasets/toy/toy.h5 --split test --output test-rows.csv
    let exported = try runKiln(["dataset", "export", "datasets/toy/toy.h5", "--split", "test", "--output", "test-rows.csv"], in: project.root)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.contains("test-rows.csv: \(testRows) raw rows of split 'test' from raw/all.csv"))
    let rows = try String(contentsOf: project.root.appendingPathComponent("test-rows.csv"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    #expect(rows.first == "age,hours,colour,sex,y")
    // Every exported line is a line of the raw file, verbatim.
    let raw = Set(try String(contentsOf: project.root.appendingPathComponent("datasets/toy/raw/all.csv"), encoding: .utf8)
      .split(separator: "\n").map(String.init))
    #expect(rows.count == testRows + 1)
    #expect(rows.dropFirst().allSatisfy(raw.contains))

    // The exported split is the evaluated test split: monitoring it reproduces test.accuracy.
    let monitored = try runKiln(["monitor", "--run", String(run), "--labelled", "test-rows.csv", "--json"], in: project.root)
    #expect(monitored.status == 0, "\(monitored.stdout)\(monitored.stderr)")
    let report = try #require(try JSONSerialization.jsonObject(with: Data(monitored.stdout.utf8)) as? [String: Any])
    #expect(report["rows"] as? Int == testRows)
    let accuracy = try #require((report["comparisons"] as? [[String: Any]])?.first { $0["name"] as? String == "accuracy" })
    #expect(accuracy["baseline_metric"] as? String == "test.accuracy")
    let current = try #require(accuracy["current"] as? Double), baseline = try #require(accuracy["baseline"] as? Double)
    #expect(abs(current - baseline) < 1e-9, "monitor \(current) vs evaluate \(baseline)")
  }

  @Test func aDatasetEditedAfterImportStopsTrainingWithWhatToDo() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let file = try HDF5File.open(project.root.appendingPathComponent("datasets/toy/toy.h5"), mode: .readWrite)
    try [Float(3)].withUnsafeBufferPointer { try file.root.dataset("features").write($0, start: [0, 0], count: [1, 1]) }
    try file.close()
    let trained = try runKiln(["train", "experiments/toy.yaml"], in: project.root)
    #expect(trained.status == 1)
    #expect(trained.stderr.contains("toy.h5: the content hashes to"))
    #expect(trained.stderr.contains("re-import it with `kiln dataset import datasets/toy/dataset.yaml`"))
  }

  @Test func exportingAnUnknownSplitNamesTheSplitsThereAre() throws {
    let project = try MonitoringProject.make()
    defer { project.remove() }
    let result = try runKiln(["dataset", "export", "datasets/toy/toy.h5", "--split", "holdout"], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("no split 'holdout'"))
    #expect(result.stderr.contains("train, validation, test") || result.stderr.contains("test, train, validation"))
  }
}
