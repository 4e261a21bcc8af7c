import Foundation
import KilnSweep
import KilnTracking
@testable import KilnConfiguration
@testable import KilnRuns
@testable import KilnTraining
@testable import KilnEvaluation
@testable import KilnTuning
@testable import KilnPromotion
@testable import KilnMonitoring
@testable import KilnPipeline

/// A temporary project directory, removed by `remove()`.
struct TemporaryProject {
  let root: URL
  var layout: ProjectLayout { ProjectLayout(root: root) }

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  }

  func remove() { try? FileManager.default.removeItem(at: root) }
}

enum SweepFixtures {
  /// The toy sweep: x in [−5, 5], y in 0…10, kind in {a, b}; TPE, ASHA (η = 2), batches of 4.
  static func plan(trials: Int, seed: UInt64 = 7) -> SweepPlan {
    SweepPlan(
      experimentFile: "/nonexistent/toy.yaml", trials: trials, batchSize: 4, seed: seed,
      objectives: [SweepConfiguration.Objective(metric: "toy.loss", direction: .minimize)], sampler: .tpe,
      pruner: try! JSONDecoder().decode(SweepConfiguration.Pruner.self,
                                        from: Data(#"{"kind": "asha", "min_resource": 1, "reduction_factor": 2}"#.utf8)),
      space: [
        "x": SearchDistribution(uniform: [-5, 5]),
        "y": SearchDistribution(int: [0, 10]),
        "kind": SearchDistribution(choice: ["a", "b"]),
      ],
      leaseTimeout: 30, heartbeatInterval: 1)
  }

  /// The same toy learning curve as the KilnSweepTestWorker helper: a bowl in (x, y) plus a
  /// choice penalty, approached as 4/(step+1) over 8 steps, pruned when the reporter says so.
  static func toyValue(_ parameters: [String: ParameterValue], step: Int) -> Double {
    let x = parameters["x"]?.numericValue ?? 0
    let y = parameters["y"]?.numericValue ?? 0
    let penalty = parameters["kind"] == .string("b") ? 0.5 : 0
    return (x - 1) * (x - 1) + 0.1 * (y - 3) * (y - 3) + penalty + 4 / Double(step + 1)
  }

  static func toyObjective(counting calls: CallCounter? = nil) -> ClosureObjective {
    ClosureObjective { assignment, reporter in
      calls?.record(assignment.number)
      var value = 0.0
      for step in 0..<8 {
        value = toyValue(assignment.parameters, step: step)
        if try reporter.report(value, step: step) { throw TrialPruned() }
      }
      return value
    }
  }

  /// A new sweep over the toy plan in `project`.
  static func session(_ project: TemporaryProject, trials: Int, seed: UInt64 = 7) throws -> SweepSession {
    try SweepSession.start(plan: plan(trials: trials, seed: seed), experiment: "toy", layout: project.layout)
  }

  /// What must not depend on the worker count: each trial's number, state, values and result.
  static func outcomes(_ session: SweepSession) throws -> [String] {
    try session.storage.allTrials().map { trial in
      let parameters = trial.parameters.keys.sorted().map { "\($0)=\(trial.parameters[$0]!)" }.joined(separator: ",")
      return "\(trial.number) \(trial.state) \(parameters) \(trial.value.map { "\($0)" } ?? "-") \(trial.intermediateValues.count)"
    }
  }

  /// The worker helper executable, built beside the test bundle.
  static func workerExecutable() -> URL {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while url.path != "/" {
      let candidate = url.appendingPathComponent("KilnSweepTestWorker")
      if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
      url = url.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug/KilnSweepTestWorker")
  }

  /// The worker helper's command line; `hang` and `share` add its `--hang` and `--share`.
  static func workerArguments(_ session: SweepSession, hang: Bool = false, share: Bool = false) -> [String] {
    [workerExecutable().path, session.layout.root.path, session.sweepRunID, String(getpid())]
      + (hang ? ["--hang"] : []) + (share ? ["--share"] : [])
  }
}

/// Counts objective calls per trial number, from any thread.
final class CallCounter: @unchecked Sendable {
  private let lock = NSLock()
  private var counts: [Int: Int] = [:]

  func record(_ number: Int) { lock.withLock { counts[number, default: 0] += 1 } }
  var snapshot: [Int: Int] { lock.withLock { counts } }
}
