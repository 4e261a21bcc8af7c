import Foundation
import Testing

/// `kiln predict` on multiclass and regression models trained from raw CSV through a recipe.
@Suite struct PredictCLILabelKindTests {
  /// Imports 300 training and 100 test rows, trains, and scores the test file; returns the
  /// project, the run and the scores' fields per line.
  private func trainAndScore(_ kind: LabelKindProject.Kind) throws -> (LabelKindProject, String, [[Substring]]) {
    let project = try LabelKindProject.make()
    try project.importDataset(kind, trainRows: 300, testRows: 100)
    let run = try project.train(kind, name: "task-model")
    let scored = try runKiln(["predict", "--run", run, "--input", "datasets/\(kind.rawValue)/test.csv", "--output", "scores.csv"],
                             in: project.root)
    try #require(scored.status == 0, "\(scored.stderr)")
    #expect(scored.stdout.contains("scored 100 of 100 rows"), "\(scored.stdout)")
    let text = try String(contentsOf: project.root.appendingPathComponent("scores.csv"), encoding: .utf8)
    return (project, run, text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) })
  }

  @Test func aMulticlassModelWritesThePredictedClassAndEveryClassProbability() throws {
    let (project, run, lines) = try trainAndScore(.multiclass)
    defer { project.remove() }
    let root = project.root
    #expect(lines.first == ["row_id", "line", "predicted_class", "probability_a", "probability_b", "probability_c"])
    #expect(lines.count == 101)
    var correct = 0
    let truth = try String(contentsOf: root.appendingPathComponent("datasets/multiclass/test.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[3] }
    for (index, fields) in lines.dropFirst().enumerated() {
      let probabilities = try fields[3...].map { try #require(Double($0)) }
      #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
      let most = probabilities.indices.max { probabilities[$0] < probabilities[$1] }!
      #expect(fields[2] == ["a", "b", "c"][most])
      if fields[2] == truth[index] { correct += 1 }
    }
    // Three linearly separable classes: far better than the 1/3 of guessing.
    #expect(correct >= 70, "\(correct) of 100 correct")

    let monitored = try runKiln(["monitor", "--run", run, "--labelled", "datasets/multiclass/test.csv"], in: root)
    // Monitoring now measures multiclass models (exit 0 or 4 by the rules, never an error).
    #expect(monitored.status == 0 || monitored.status == 4, "\(monitored.stderr)")
    #expect(monitored.stdout.contains("(multiclass)") && monitored.stdout.contains("macro_f1"), "\(monitored.stdout)")
  }

  @Test func aRegressionModelWritesThePredictedValueInTheTargetsUnits() throws {
    let (project, run, lines) = try trainAndScore(.regression)
    defer { project.remove() }
    let root = project.root
    #expect(lines.first == ["row_id", "line", "prediction"])
    #expect(lines.count == 101)
    let targets = try String(contentsOf: root.appendingPathComponent("datasets/regression/test.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { try #require(Double($0.split(separator: ",")[3])) }
    let predictions = try lines.dropFirst().map { try #require(Double($0[2])) }
    let meanTarget = targets.reduce(0, +) / Double(targets.count)
    let residual = zip(predictions, targets).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
    let total = targets.map { ($0 - meanTarget) * ($0 - meanTarget) }.reduce(0, +)
    // Raw units (not standardised) and a real fit: R² well above 0.
    #expect(1 - residual / total > 0.5, "R² \(1 - residual / total)")

    let compared = try runKiln(["compare-models", run, run, "--input", "datasets/regression/test.csv"], in: root)
    #expect(compared.status == 0, "\(compared.stderr)")
    #expect(compared.stdout.contains("mean |prediction difference| 0.0000"), "\(compared.stdout)")
  }
}
