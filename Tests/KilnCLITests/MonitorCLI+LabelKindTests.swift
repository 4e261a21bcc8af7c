import Foundation
import Testing

/// `kiln monitor` on multiclass and regression models: the kind's metrics and group-wise fairness
/// on a labelled batch beside the evaluated figures, degradation judged in each metric's direction.
@Suite struct MonitorCLILabelKindTests {
  private func report(_ stdout: String) throws -> (kind: String?, comparisons: [String: [String: Any]]) {
    let report = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any], "\(stdout)")
    let list = try #require(report["comparisons"] as? [[String: Any]])
    return (report["label_kind"] as? String, Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0) }))
  }

  private func degraded(_ comparisons: [String: [String: Any]]) -> Set<String> {
    Set(comparisons.filter { $0.value["degraded"] as? Bool == true }.map(\.key))
  }

  @Test func aMulticlassModelKeepsItsFiguresOnAFreshBatchAndRotatedLabelsDegradeThem() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.multiclass)
    let run = try project.train(.multiclass, name: "classes", evaluate: true)
    let fresh = try project.write(LabelKindProject.rows(400, seed: 31, kind: .multiclass), named: "fresh.csv")
    let good = try runKiln(["monitor", "--run", run, "--labelled", fresh, "--json"], in: project.root)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    let (kind, figures) = try report(good.stdout)
    #expect(kind == "multiclass")
    #expect(degraded(figures).isEmpty, "\(degraded(figures))")
    for name in ["accuracy", "macro_f1", "log_loss", "fairness.group.accuracy_difference", "fairness.group.macro_f1_difference"] {
      let figure = try #require(figures[name], "\(name) missing: \(figures.keys.sorted())")
      #expect(figure["baseline_metric"] as? String == (name.hasPrefix("fairness") ? name : "test.\(name)"))
      let interval = try #require(figure["current_interval"] as? [String: Any], "\(name)")
      let current = try #require(figure["current"] as? Double)
      #expect(try #require(interval["lower"] as? Double) <= current && current <= (try #require(interval["upper"] as? Double)), "\(name)")
    }

    let rotated = try project.write(LabelKindProject.rows(400, seed: 32, kind: .multiclass, corrupt: true), named: "rotated.csv")
    let bad = try runKiln(["monitor", "--run", run, "--labelled", rotated, "--json"], in: project.root)
    #expect(bad.status == 4, "\(bad.stdout)\(bad.stderr)")
    let worse = degraded(try report(bad.stdout).comparisons)
    // Accuracy falls and log loss rises: both count as degradation in their own direction.
    #expect(worse.isSuperset(of: ["accuracy", "macro_f1", "log_loss"]), "\(worse)")
  }

  @Test func aRegressionModelKeepsItsFiguresOnAFreshBatchAndNegatedTargetsDegradeThem() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.regression)
    let run = try project.train(.regression, name: "values", evaluate: true)
    let fresh = try project.write(LabelKindProject.rows(400, seed: 41, kind: .regression), named: "fresh.csv")
    let good = try runKiln(["monitor", "--run", run, "--labelled", fresh], in: project.root)
    #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
    #expect(good.stdout.contains("(regression): ok"), "\(good.stdout)")
    let json = try runKiln(["monitor", "--run", run, "--labelled", fresh, "--json"], in: project.root)
    let (kind, figures) = try report(json.stdout)
    #expect(kind == "regression")
    #expect(Set(figures.keys).isSuperset(of: ["rmse", "mae", "r2", "fairness.group.mae_difference", "fairness.group.mean_prediction_difference"]),
            "\(figures.keys.sorted())")
    #expect(figures["rmse"]?["baseline_metric"] as? String == "test.rmse")

    let negated = try project.write(LabelKindProject.rows(400, seed: 42, kind: .regression, corrupt: true), named: "negated.csv")
    let bad = try runKiln(["monitor", "--run", run, "--labelled", negated, "--json"], in: project.root)
    #expect(bad.status == 4, "\(bad.stdout)\(bad.stderr)")
    let (_, worse) = try report(bad.stdout)
    // Errors rise (lower is better) and R² falls (higher is better).
    #expect(degraded(worse).isSuperset(of: ["rmse", "mae", "r2"]), "\(degraded(worse))")
    #expect(try #require(worse["rmse"]?["current"] as? Double) > (try #require(worse["rmse"]?["baseline"] as? Double)))
  }

  @Test func aBatchWithAClassOutsideTheModelsListIsAClearError() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    try project.importDataset(.multiclass)
    let run = try project.train(.multiclass, name: "classes")
    let unknown = try project.write("x1,x2,group,y\n0.1,0.2,p,a\n0.3,-0.1,q,z\n", named: "unknown.csv")
    let result = try runKiln(["monitor", "--run", run, "--labelled", unknown], in: project.root)
    #expect(result.status == 1)
    #expect(result.stderr.contains("no label among the model's classes a, b, c"), "\(result.stderr)")
  }

  @Test func aNegativeWorseningLimitNamesItsKey() throws {
    let project = try LabelKindProject.make()
    defer { project.remove() }
    let path = try project.write("""
      name: bad
      dataset: datasets/regression/regression.h5
      model: {kind: mlp, hidden: [8], activation: relu}
      training: {epochs: 1, batch_size: 32, seed: 5, optimizer: {kind: adam, lr: 0.02}}
      monitoring: {max_error_increase: 0.2, max_worsening: {rmse: -0.5}}
      """, named: "experiments/bad.yaml")
    let result = try runKiln(["drift", "--experiment", path, "--current", "x.csv"], in: project.root)
    #expect(result.status != 0)
    #expect(result.stderr.contains("monitoring.max_worsening.rmse"), "\(result.stderr)")
  }
}
