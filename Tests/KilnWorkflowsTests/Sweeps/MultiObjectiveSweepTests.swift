import Foundation
import KilnSweep
import KilnTracking
import Testing
@testable import KilnConfiguration
@testable import KilnTuning

/// Multi-objective sweeps through the tracking store: NSGA-II generations, values kept per
/// objective, the Pareto front in `kiln sweep show`'s summary and JSON, and the same trials at any
/// number of worker threads.
@Suite struct MultiObjectiveSweepTests {
  /// The toy space with two objectives: the toy bowl (minimised) and |x| (minimised), which pull
  /// x towards 1 and 0.
  static func plan(trials: Int) -> SweepPlan {
    var plan = SweepFixtures.plan(trials: trials)
    plan.objectives = [SweepConfiguration.Objective(metric: "toy.loss", direction: .minimize),
                       SweepConfiguration.Objective(metric: "toy.size", direction: .minimize)]
    plan.sampler = .nsga2
    plan.pruner = nil
    plan.batchSize = 6
    return plan
  }

  static let objective = ClosureObjective(values: { assignment, _ in
    [SweepFixtures.toyValue(assignment.parameters, step: 7), abs(assignment.parameters["x"]?.numericValue ?? 0)]
  })

  static func outcomes(_ session: SweepSession) throws -> [String] {
    try session.storage.allTrials().map { trial in
      let parameters = trial.parameters.keys.sorted().map { "\($0)=\(trial.parameters[$0]!)" }.joined(separator: ",")
      return "\(trial.number) \(trial.state) \(parameters) \(trial.values ?? [])"
    }
  }

  @Test func anNSGAIISweepKeepsEveryObjectiveAndShowsItsParetoFront() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    let one = try SweepSession.start(plan: Self.plan(trials: 18), experiment: "toy", layout: project.layout)
    try SweepRunner.run(try one.coordinator(), workers: .threads(1, objective: Self.objective))
    let two = try SweepSession.start(plan: Self.plan(trials: 18), experiment: "toy", layout: project.layout)
    try SweepRunner.run(try two.coordinator(), workers: .threads(2, objective: Self.objective))
    let expected = try Self.outcomes(one)
    #expect(expected.count == 18)
    #expect(try Self.outcomes(two) == expected)

    let trials = try one.storage.allTrials()
    #expect(trials.allSatisfy { $0.state == .complete && $0.values?.count == 2 })
    let summary = try SweepSummary(session: one)
    let front = summary.paretoFront
    #expect(!front.isEmpty)
    for member in front {
      for other in trials {
        #expect(!Pareto.dominates(other.values ?? [], member.values ?? [], directions: [.minimize, .minimize]))
      }
    }
    // The best trial is the best on the first objective, and it is on the front.
    let best = try #require(summary.best)
    #expect(best.value == trials.compactMap(\.value).min())
    #expect(front.contains { $0.number == best.number })

    let text = summary.text()
    #expect(text.contains("objectives: minimize toy.loss, minimize toy.size"))
    #expect(text.contains("pareto front: \(front.count) trial"))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json().utf8)) as? [String: Any])
    let stored = try #require(json["pareto_front"] as? [[String: Any]])
    #expect(stored.map { $0["number"] as? Int } == front.map(\.number))
    #expect((json["objectives"] as? [[String: Any]])?.count == 2)
    #expect(SweepReport.html(summary).contains("Pareto front ("))
  }

  @Test func aPlanStoredBeforeSeveralObjectivesStillReads() throws {
    let legacy = #"{"batchSize":4,"createsTrialRuns":false,"direction":"maximize","experimentFile":"/x.yaml","heartbeatInterval":5,"# +
      #""leaseTimeout":60,"maximumRestarts":2,"objectiveMetric":"validation.roc_auc","overrides":[],"sampler":"tpe","seed":1,"# +
      #""space":{"training.optimizer.lr":{"loguniform":[0.0001,0.1]}},"trials":3}"#
    let plan = try SweepPlan(json: legacy)
    #expect(plan.objectives == [SweepConfiguration.Objective(metric: "validation.roc_auc", direction: .maximize)])
    #expect(try SweepPlan(json: plan.json) == plan)
  }

  @Test func ashaPrunesByRankAndCrowdingAndStoresEveryObjectivesCurve() throws {
    let project = try TemporaryProject()
    defer { project.remove() }
    var plan = Self.plan(trials: 18)
    plan.pruner = try JSONDecoder().decode(SweepConfiguration.Pruner.self,
                                           from: Data(#"{"kind": "asha", "min_resource": 1, "reduction_factor": 2}"#.utf8))
    let objective = ClosureObjective(values: { assignment, reporter in
      var values: [Double] = []
      for step in 0..<8 {
        values = [SweepFixtures.toyValue(assignment.parameters, step: step), abs(assignment.parameters["x"]?.numericValue ?? 0)]
        if try reporter.report(values, step: step) { throw TrialPruned() }
      }
      return values
    })
    let one = try SweepSession.start(plan: plan, experiment: "toy", layout: project.layout)
    try SweepRunner.run(try one.coordinator(), workers: .threads(1, objective: objective))
    let two = try SweepSession.start(plan: plan, experiment: "toy", layout: project.layout)
    try SweepRunner.run(try two.coordinator(), workers: .threads(2, objective: objective))
    #expect(try Self.outcomes(two) == Self.outcomes(one))
    let trials = try one.storage.allTrials()
    let pruned = trials.filter { $0.state == .pruned }
    #expect(!pruned.isEmpty && pruned.count < trials.count)
    for trial in trials {
      #expect(trial.intermediateObjectives.values.allSatisfy { $0.count == 2 })
      if trial.state == .pruned { #expect(trial.values == trial.lastReportedValues && trial.values?.count == 2) }
    }
  }
}
