import Foundation
import KilnReport
import KilnMetricDirection
import KilnSweep
import KilnTracking
import KilnTuning

/// `/sweeps` and `/sweeps/ID`: each sweep's Pareto front (several objectives), optimisation
/// history, parallel coordinates, slices, parameter importance, intermediate values per trial,
/// trials per worker over time, and every trial with its state (pruned ones included) and a
/// link to its run — the views optuna-dashboard gives, drawn with KilnReport's charts from
/// KilnSweep's own plot data.
enum SweepsPage {
  /// Sweep runs carry their plan in this tag.
  static let planTag = "sweep.plan"
  static let maximumSweeps = 200

  static func list(_ application: UIApplication) throws -> UIResponse {
    var query = RunQuery(filter: try RunFilter.parse("tags.`\(planTag)` != ''"))
    query.limit = maximumSweeps
    let sweeps = try application.store.runs(matching: query)
    let rows = try sweeps.map { run -> [String] in
      let tags = try application.store.tags(runID: run.id)
      let trials = try application.store.sweepTrials(sweepRunID: run.id)
      return [HTMLPage.link("/sweeps/\(run.id)", RunFormatting.shortID(run.id)), escapeHTML(run.experiment), escapeHTML(run.name),
              escapeHTML(run.status.rawValue), escapeHTML(RunFormatting.time(run.startTime)), "\(trials.count)",
              "\(trials.filter { $0.state == TrialState.pruned.rawValue }.count)",
              escapeHTML(tags["sweep.best_value"] ?? "-"), escapeHTML(tags["sweep.best_trial"] ?? "-")]
    }
    let body = sweeps.isEmpty ? "<p class=\"muted\">No sweeps in this store (run <code>kiln sweep</code>).</p>"
      : HTMLPage.table(header: ["Sweep", "Experiment", "Name", "Status", "Started (UTC)", "Trials", "Pruned", "Best value", "Best trial"], rows: rows, id: "sweeps")
    return .html(HTMLPage.render(title: "Sweeps", section: "/sweeps", body: body))
  }

  static func sweep(_ application: UIApplication, runID: String) throws -> UIResponse {
    let run = try RunPage(application, runID: runID).run
    guard let planText = try application.store.tags(runID: run.id)[planTag], let plan = try? SweepPlan(json: planText) else {
      throw PageError.notFound("Run \(runID) is not a sweep.")
    }
    let storage = try TrackedTrialStorage(tracker: application.tracker, sweepRunID: run.id, objectiveMetric: plan.objectiveMetric)
    let trials = try storage.allTrials()
    let rows = try storage.rows()
    let runOfTrial = Dictionary(rows.map { ($0.number, $0.runID) }, uniquingKeysWith: { first, _ in first })
    var body = "<p>Run " + HTMLPage.link("/runs/\(run.id)", run.name) + ": \(trials.count) trials, objective <b>\(escapeHTML(plan.objectiveMetric))</b> (\(escapeHTML(plan.direction.rawValue))).</p>\n"
    if plan.objectives.count > 1 {
      let front = Pareto.front(of: trials, directions: plan.directions)
      body += "<h2>Pareto front</h2>\n<figure id=\"pareto-front\">" + SweepReport.paretoChart(trials, objectives: plan.objectives, front: front) + "</figure>\n"
        + "<p class=\"muted\">On the front: " + (front.isEmpty ? "no complete trial yet" : front.map { "trial \($0.number)" }.joined(separator: ", ")) + ".</p>\n"
    }
    body += history(trials, direction: plan.direction)
    body += parallelCoordinates(trials)
    body += slices(trials, plan: plan)
    let importance = ParameterImportance.evaluate(trials)
    if !importance.isEmpty {
      body += "<figure>" + SVGChart.bars(importance.map { SVGChart.Bar(label: $0.name, value: $0.share) }, title: "Parameter importance", yLabel: "share of explained variance") + "</figure>\n"
    }
    let intermediate = trials.filter { $0.intermediateValues.count > 1 }.prefix(40)
    if !intermediate.isEmpty {
      body += "<figure>" + SVGChart.lines(intermediate.map { trial in
        SVGChart.Series(name: "trial \(trial.number)", points: trial.intermediateValues.sorted { $0.key < $1.key }.map { (x: Double($0.key), y: $0.value) })
      }, title: "Intermediate values", xLabel: "step", yLabel: plan.objectiveMetric, legend: intermediate.count <= 8) + "</figure>\n"
    }
    body += "<h2>Trials per worker</h2>\n" + workerTimeline(trials)
    body += "<h2>Trials</h2>\n"
    let parameterNames = Array(Set(trials.flatMap(\.parameters.keys))).sorted()
    body += HTMLPage.table(header: ["Trial", "State", "Value", "Worker", "Started (UTC)", "Finished (UTC)", "Run"] + parameterNames.map(escapeHTML), rows: trials.map { trial in
      [String(trial.number), escapeHTML(trial.state.rawValue), escapeHTML(RunFormatting.number(trial.value)), escapeHTML(trial.leaseOwner ?? "-"),
       escapeHTML(RunFormatting.time(trial.startedAt)), escapeHTML(RunFormatting.time(trial.finishedAt)),
       runOfTrial[trial.number].flatMap { $0 }.map { HTMLPage.link("/runs/\($0)", RunFormatting.shortID($0)) } ?? "-"]
        + parameterNames.map { escapeHTML(trial.parameters[$0].map { "\($0)" } ?? "-") }
    }, id: "trials")
    return .html(HTMLPage.render(title: "Sweep \(run.name)", section: "/sweeps", body: body))
  }

  /// Each complete trial's value and the best so far.
  static func history(_ trials: [TrialRecord], direction: MetricDirection) -> String {
    let history = OptimizationHistory(trials: trials, direction: direction)
    let values = history.points.compactMap { point in point.value.map { (x: Double(point.number), y: $0) } }
    let best = history.points.compactMap { point in point.bestValue.map { (x: Double(point.number), y: $0) } }
    guard !values.isEmpty else { return "<p class=\"muted\">No trial has finished yet.</p>\n" }
    return "<figure>" + SVGChart.lines([SVGChart.Series(name: "value", points: values), SVGChart.Series(name: "best so far", points: best)],
                                       title: "Optimisation history", xLabel: "trial", yLabel: "objective") + "</figure>\n"
  }

  /// The objective against each parameter, one point per complete trial (optuna-dashboard's
  /// slice plot), the parameter on its search scale.
  static func slices(_ trials: [TrialRecord], plan: SweepPlan) -> String {
    guard let dimensions = try? plan.searchSpace().dimensions, !dimensions.isEmpty else { return "" }
    return "<h2>Slices</h2>\n<div id=\"slices\">" + dimensions.map { dimension in
      "<figure>" + SweepReport.sliceChart(trials, dimension: dimension, metric: plan.objectiveMetric) + "</figure>"
    }.joined(separator: "\n") + "</div>\n"
  }

  /// Parallel coordinates as lines over axes 0…n (the parameters, then the objective), each
  /// value scaled to 0…1 on its axis.
  static func parallelCoordinates(_ trials: [TrialRecord]) -> String {
    let plot = ParallelCoordinates(trials: trials)
    guard !plot.lines.isEmpty, !plot.axes.isEmpty else { return "" }
    let series = plot.lines.prefix(200).map { line in
      SVGChart.Series(name: "trial \(line.number)", points: (line.positions + [line.valuePosition]).enumerated().compactMap { index, position in
        position.map { (x: Double(index), y: $0) }
      })
    }
    let axes = (plot.axes + [plot.objective]).enumerated().map { "\($0.offset): \(escapeHTML($0.element.name)) (\(RunFormatting.number($0.element.low))–\(RunFormatting.number($0.element.high)))" }
    return "<figure>" + SVGChart.lines(Array(series), title: "Parallel coordinates", xLabel: "axis", yLabel: "position on axis",
                                       yRange: 0...1, legend: false)
      + "<figcaption class=\"muted\">Axes: \(axes.joined(separator: "; "))</figcaption></figure>\n"
  }

  /// Trials by worker, in start order, with their duration.
  static func workerTimeline(_ trials: [TrialRecord]) -> String {
    let byWorker = Dictionary(grouping: trials) { $0.leaseOwner ?? "(unassigned)" }
    let rows = byWorker.sorted { $0.key < $1.key }.map { worker, trials -> [String] in
      let ordered = trials.sorted { ($0.startedAt ?? .distantPast) < ($1.startedAt ?? .distantPast) }
      return [escapeHTML(worker), "\(ordered.count)", ordered.map { trial in
        let seconds = trial.finishedAt.flatMap { end in trial.startedAt.map { end.timeIntervalSince($0) } }
        return "#\(trial.number) \(escapeHTML(trial.state.rawValue))" + (seconds.map { String(format: " %.1fs", $0) } ?? "")
      }.joined(separator: " → ")]
    }
    return HTMLPage.table(header: ["Worker", "Trials", "In order"], rows: rows)
  }
}
