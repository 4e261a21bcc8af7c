import Foundation
import Testing

/// `kiln compare-models` on two multiclass or two regression models.
@Suite struct CompareModelsCLILabelKindTests {
  private func compare(_ project: LabelKindProject, _ champion: String, _ challenger: String, input: String) throws -> [String: Any] {
    let result = try runKiln(["compare-models", champion, challenger, "--input", input, "--resamples", "100", "--json"], in: project.root)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)\(result.stderr)")
  }

  private func metrics(_ report: [String: Any]) -> [String: [String: Any]] {
    Dictionary(uniqueKeysWithValues: ((report["metrics"] as? [[String: Any]]) ?? []).map { ($0["name"] as! String, $0) })
  }

  @Test func multiclassModelsFlipPredictedClassesByGroupAndAModelAgainstItselfHasZeroDeltas() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.multiclass)
    let first = try project.train(.multiclass, name: "classes", seed: 5)
    let second = try project.train(.multiclass, name: "classes-other", seed: 6)
    let input = project.root.appendingPathComponent("datasets/multiclass/test.csv").path

    let same = try compare(project, first, first, input: input)
    #expect(same["label_kind"] as? String == "multiclass")
    let sameOverall = try #require(same["overall"] as? [String: Any])
    #expect(sameOverall["flip_rate"] as? Double == 0 && sameOverall["agreement"] as? Double == 1)
    #expect(sameOverall["negative_to_positive"] == nil)
    let sameMetrics = metrics(same)
    #expect(Set(sameMetrics.keys).isSuperset(of: ["accuracy", "macro_f1", "log_loss", "roc_auc_ovr"]), "\(sameMetrics.keys.sorted())")
    for (name, metric) in sameMetrics {
      #expect(metric["delta"] as? Double == 0, "\(name)")
      let interval = try #require(metric["delta_interval"] as? [String: Any], "\(name)")
      #expect(interval["lower"] as? Double == 0 && interval["upper"] as? Double == 0, "\(name): \(interval)")
    }

    let other = try compare(project, first, second, input: input)
    let overall = try #require(other["overall"] as? [String: Any])
    let flipRate = try #require(overall["flip_rate"] as? Double), rows = try #require(overall["rows"] as? Int)
    #expect(rows == 200)
    let groups = try #require((other["by_group"] as? [String: Any])?["group"] as? [String: [String: Any]])
    #expect(Set(groups.keys) == ["p", "q"])
    let flippedInGroups = groups.values.map { Double($0["rows"] as! Int) * ($0["flip_rate"] as! Double) }.reduce(0, +)
    #expect(abs(flippedInGroups - flipRate * Double(rows)) < 1e-6)
    for (name, metric) in metrics(other) {
      let delta = try #require(metric["delta"] as? Double)
      let interval = try #require(metric["delta_interval"] as? [String: Any], "\(name)")
      #expect(try #require(interval["lower"] as? Double) <= delta + 1e-12 && delta - 1e-12 <= (try #require(interval["upper"] as? Double)), "\(name)")
    }
  }

  @Test func regressionModelsDifferByTheirMeanAbsolutePredictionAndAModelAgainstItselfHasZeroDeltas() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.regression)
    let first = try project.train(.regression, name: "values", seed: 5)
    let second = try project.train(.regression, name: "values-other", seed: 6)
    let input = project.root.appendingPathComponent("datasets/regression/test.csv").path

    let same = try compare(project, first, first, input: input)
    #expect(same["label_kind"] as? String == "regression")
    #expect(same["overall"] == nil)
    #expect((same["prediction_difference"] as? [String: Any])?["mean_absolute_difference"] as? Double == 0)
    let sameMetrics = metrics(same)
    #expect(Set(sameMetrics.keys) == ["rmse", "mae", "r2"])
    for (name, metric) in sameMetrics {
      #expect(metric["delta"] as? Double == 0, "\(name)")
      let interval = try #require(metric["delta_interval"] as? [String: Any], "\(name)")
      #expect(interval["lower"] as? Double == 0 && interval["upper"] as? Double == 0, "\(name): \(interval)")
    }

    let other = try compare(project, first, second, input: input)
    let overall = try #require((other["prediction_difference"] as? [String: Any])?["mean_absolute_difference"] as? Double)
    #expect(overall > 0)
    let groups = try #require((other["prediction_difference_by_group"] as? [String: Any])?["group"] as? [String: [String: Any]])
    #expect(Set(groups.keys) == ["p", "q"])
    let weighted = groups.values.map { Double($0["rows"] as! Int) * ($0["mean_absolute_difference"] as! Double) }.reduce(0, +)
    #expect(abs(weighted / 200 - overall) < 1e-9)
  }

  @Test func modelsOfDifferentKindsOrClassListsAreRefused() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.multiclass)
    try project.importDataset(.regression)
    let classes = try project.train(.multiclass, name: "classes")
    let values = try project.train(.regression, name: "values")
    let input = project.root.appendingPathComponent("datasets/multiclass/test.csv").path
    let mixed = try runKiln(["compare-models", classes, values, "--input", input], in: project.root)
    #expect(mixed.status == 1)
    #expect(mixed.stderr.contains("(a multiclass model) with run") && mixed.stderr.contains("(a regression model)"), "\(mixed.stderr)")

    // The same rows relabelled with another class list.
    let renamed = project.root.appendingPathComponent("datasets/renamed")
    try FileManager.default.createDirectory(at: renamed, withIntermediateDirectories: true)
    for file in ["train.csv", "test.csv"] {
      let text = try String(contentsOf: project.root.appendingPathComponent("datasets/multiclass/\(file)"), encoding: .utf8)
      try text.replacingOccurrences(of: ",a\n", with: ",d\n").write(to: renamed.appendingPathComponent(file), atomically: true, encoding: .utf8)
    }
    let recipe = try String(contentsOf: project.root.appendingPathComponent("datasets/multiclass/dataset.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "name: multiclass", with: "name: renamed").replacingOccurrences(of: "[a, b, c]", with: "[d, b, c]")
    try recipe.write(to: renamed.appendingPathComponent("dataset.yaml"), atomically: true, encoding: .utf8)
    #expect(try runKiln(["dataset", "import", "datasets/renamed/dataset.yaml"], in: project.root).status == 0)
    try String(contentsOf: project.root.appendingPathComponent("experiments/classes.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "name: classes", with: "name: renamed-model")
      .replacingOccurrences(of: "datasets/multiclass/multiclass.h5", with: "datasets/renamed/renamed.h5")
      .write(to: project.root.appendingPathComponent("experiments/renamed.yaml"), atomically: true, encoding: .utf8)
    let trained = try runKiln(["train", "experiments/renamed.yaml", "--quiet"], in: project.root)
    let line = try #require(trained.stdout.split(separator: "\n").first { $0.hasPrefix("run ") }, "\(trained.stderr)")
    let renamedRun = String(line.dropFirst(4).prefix { $0 != ":" })
    let relabelled = try runKiln(["compare-models", classes, renamedRun, "--input", input], in: project.root)
    #expect(relabelled.status == 1)
    #expect(relabelled.stderr.contains("(classes a, b, c) with run") && relabelled.stderr.contains("(classes d, b, c)"), "\(relabelled.stderr)")
  }
}
