import KilnOutput
import Foundation
import KilnReport
import KilnSweep
import KilnTracking
import KilnConfiguration
import KilnTraining

/// `kiln sweep show`: a sweep's trials, its best trial with the configuration to train it again,
/// and parameter importance (the binned first-order variance share, `ParameterImportance`). A
/// multi-objective sweep also has its Pareto front; its best trial is the best on the first
/// objective (which is always on the front).
public struct SweepSummary: CommandOutput {
  public let session: SweepSession
  public let run: RunRecord
  public let trials: [TrialRecord]
  public let rows: [SweepTrialRow]
  public let best: TrialRecord?
  /// The complete trials no other complete trial dominates; empty for a single-objective sweep.
  public let paretoFront: [TrialRecord]
  public let importance: [ParameterImportance]

  public init(session: SweepSession) throws {
    self.session = session
    run = try session.tracker.run(id: session.sweepRunID)
    trials = try session.storage.allTrials()
    rows = try session.storage.rows()
    let study = try session.plan.makeStudy(storage: session.storage, name: session.sweepRunID)
    best = try study.bestTrial()
    paretoFront = study.directions.count > 1 ? try study.paretoFront() : []
    importance = ParameterImportance.evaluate(trials)
  }

  /// The `--set` overrides that train the best trial's configuration: the sweep's own, then the trial's.
  public var bestOverrides: [String]? {
    best.map(overrides(for:))
  }

  /// The `--set` overrides that train `trial`'s configuration: the sweep's own, then the trial's.
  public func overrides(for trial: TrialRecord) -> [String] {
    session.plan.overrides + SweepSpace.overrides(trial.parameters)
  }

  /// The best trial's full configuration as canonical JSON, when the experiment file still reads.
  public func bestConfigurationJSON() -> String? {
    guard let overrides = bestOverrides,
          let configuration = try? ExperimentConfiguration.load(file: URL(fileURLWithPath: session.plan.experimentFile),
                                                                 overrides: overrides) else { return nil }
    return configuration.canonicalJSON()
  }

  public func text() -> String {
    let plan = session.plan
    let keys = (try? plan.searchSpace().dimensions.map(\.key)) ?? []
    let multiple = plan.objectives.count > 1
    var output = "sweep \(run.id)  \(run.name)  [\(run.status.rawValue)]\n"
    output += (multiple ? "objectives: " : "objective: ")
      + plan.objectives.map { "\($0.direction.rawValue) \($0.metric)" }.joined(separator: ", ")
      + "  sampler: \(plan.sampler.rawValue)"
    output += "  pruner: \(plan.pruner?.kind.rawValue ?? "none")  seed: \(plan.seed)  batch: \(plan.batchSize)\n"
    let counts = Dictionary(grouping: trials, by: \.state).mapValues(\.count)
    output += "trials: \(trials.count) of \(plan.trials) — "
    output += TrialState.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ") + "\n\n"
    let valueHeaders = multiple ? plan.objectives.map { $0.metric.uppercased() } : ["VALUE"]
    let front = Set(paretoFront.map(\.number))
    var table = TextTable(header: ["#", "STATE"] + valueHeaders + ["STEPS"] + keys + ["RUN", "NOTE"])
    for (trial, row) in zip(trials, rows) {
      var note = trial.error.map { String($0.prefix(60)) } ?? (row.restartCount > 0 ? "restarted \(row.restartCount)×" : "")
      if front.contains(trial.number) { note = "pareto front" }
      let values = (0..<valueHeaders.count).map { index in
        RunFormatting.number(trial.values.flatMap { $0.indices.contains(index) ? $0[index] : nil })
      }
      table.append([String(trial.number), trial.state.rawValue] + values + [String(trial.intermediateValues.count)]
                   + keys.map { trial.parameters[$0]?.description ?? "-" }
                   + [row.runID.map(RunFormatting.shortID) ?? "-", note])
    }
    output += table.rendered()
    if let best, let overrides = bestOverrides {
      output += "\nbest: trial \(best.number), \(plan.objectiveMetric) = \(RunFormatting.number(best.value))"
      if let runID = rows[best.number].runID { output += " (run \(runID))" }
      output += "\nconfiguration: kiln train \(plan.experimentFile) " + overrides.map { "--set \($0)" }.joined(separator: " ") + "\n"
    } else {
      output += "\nbest: no complete trial yet\n"
    }
    if multiple {
      output += "\npareto front: \(paretoFront.count) trial\(paretoFront.count == 1 ? "" : "s")"
      output += paretoFront.isEmpty ? "\n" : " (" + paretoFront.map { "#\($0.number)" }.joined(separator: ", ") + ")\n"
    }
    if !importance.isEmpty {
      output += "\nparameter importance (adjusted η², share):\n"
      var importanceTable = TextTable(header: ["PARAMETER", "η²", "SHARE", "TRIALS"])
      for item in importance {
        importanceTable.append([item.name, RunFormatting.number(item.explainedVariance),
                                String(format: "%.0f%%", item.share * 100), String(item.trialCount)])
      }
      output += importanceTable.rendered()
    }
    return output
  }

  public func json() -> String {
    let plan = session.plan
    let trialItems: [JSONValue] = zip(trials, rows).map { trial, row in
      .object([
        "number": .number(Double(trial.number)), "state": .string(trial.state.rawValue),
        "value": trial.value.map(JSONValue.number) ?? .null,
        "values": trial.values.map { .array($0.map(JSONValue.number)) } ?? .null,
        "error": trial.error.map(JSONValue.string) ?? .null,
        "parameters": .object(trial.parameters.mapValues(Self.json)),
        "intermediate_values": .object(Dictionary(uniqueKeysWithValues: trial.intermediateValues.map { (String($0.key), JSONValue.number($0.value)) })),
        "run": row.runID.map(JSONValue.string) ?? .null, "restarts": .number(Double(row.restartCount)),
      ])
    }
    var bestObject: JSONValue = .null
    if let best, let overrides = bestOverrides {
      var object: [String: JSONValue] = [
        "number": .number(Double(best.number)), "value": .number(best.value!),
        "run": rows[best.number].runID.map(JSONValue.string) ?? .null,
        "parameters": .object(best.parameters.mapValues(Self.json)),
        "overrides": .array(overrides.map(JSONValue.string)),
      ]
      if let configuration = bestConfigurationJSON(), let value = try? JSONValue.parse(configuration) {
        object["configuration"] = value
      }
      bestObject = .object(object)
    }
    let root: JSONValue = .object([
      "sweep": .object(RunFormatting.summary(run)),
      "plan": (try? JSONValue.parse(JSONOutput.encoded(plan))) ?? .null,
      "objectives": .array(plan.objectives.map { .object(["metric": .string($0.metric), "direction": .string($0.direction.rawValue)]) }),
      "trials": .array(trialItems),
      "best": bestObject,
      "pareto_front": .array(paretoFront.map { trial in
        .object(["number": .number(Double(trial.number)), "values": .array((trial.values ?? []).map(JSONValue.number)),
                 "run": rows[trial.number].runID.map(JSONValue.string) ?? .null,
                 "parameters": .object(trial.parameters.mapValues(Self.json))])
      }),
      "importance": .array(importance.map { item in
        .object(["parameter": .string(item.name), "explained_variance": .number(item.explainedVariance),
                 "share": .number(item.share), "trials": .number(Double(item.trialCount))])
      }),
    ])
    return RunFormatting.json(root) + "\n"
  }

  static func json(_ value: ParameterValue) -> JSONValue {
    switch value {
    case .float(let number): return .number(number)
    case .integer(let number): return .number(Double(number))
    case .string(let text): return .string(text)
    case .bool(let flag): return .bool(flag)
    }
  }
}
