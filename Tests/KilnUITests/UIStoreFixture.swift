import Foundation
import KilnConfiguration
import KilnSweep
import KilnTracking
import KilnTuning

/// A small store with everything the pages show — runs with curves, parameters, tags, artifacts,
/// lineage, a registered model with a stage history, and hostile text (`<script>`) in every
/// place a user's text reaches: run and experiment names, parameter keys and values, tags,
/// metric keys, audit payloads. Written through the store protocols, as imported or tampered
/// data would be (the tracker's own naming rule would refuse some of these names).
struct UIStoreFixture {
  static let hostile = "<script>document.title='pwned'</script>"

  let directory: URL
  let storeDirectory: URL
  let reportsDirectory: URL
  var runIDs: [String] = []
  var sweepID = ""
  /// A finished sweep of two objectives, three of its four trials on the Pareto front.
  var paretoSweepID = ""

  static let start = Date(timeIntervalSince1970: 1_780_000_000)

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiln-ui-\(UUID().uuidString)")
    storeDirectory = directory.appendingPathComponent(".kiln")
    reportsDirectory = directory.appendingPathComponent("reports")
    do {
      try populate()
    } catch {
      try? FileManager.default.removeItem(at: directory)
      throw error
    }
  }

  /// Writes the store, the reports and the files beside them.
  private mutating func populate() throws {
    try FileManager.default.createDirectory(at: reportsDirectory, withIntermediateDirectories: true)
    let store = try SQLiteTrackingStore(databaseFile: storeDirectory.appendingPathComponent("kiln.sqlite"))
    let artifacts = ArtifactStore(directory: storeDirectory.appendingPathComponent("artifacts"))
    let experiment = try store.experimentID(named: "adult", at: Self.start)
    let hostileExperiment = try store.experimentID(named: "exp-\(Self.hostile)", at: Self.start)
    for index in 0..<3 {
      let id = String(format: "%08x", index + 0xabc0) + String(repeating: "0", count: 24)
      let time = Self.start.addingTimeInterval(Double(index) * 3600)
      let record = RunRecord(id: id, experimentID: index == 2 ? hostileExperiment : experiment,
                             experiment: index == 2 ? "exp-\(Self.hostile)" : "adult",
                             name: index == 1 ? "run-\(Self.hostile)" : "run-\(index)", status: .running, startTime: time, endTime: nil,
                             seed: UInt64(index), commandLine: ["kiln", "train"], host: "test-host", processID: 1, heartbeatTime: time,
                             sourceVersion: SourceVersion(commit: "0123456789abcdef", isDirty: false), parentID: nil,
                             configurationText: "{\"training\":{\"learning_rate\":\(0.1 * Double(index + 1))}}",
                             configurationHash: String(repeating: "\(index)", count: 64), deletedTime: nil)
      try store.insertRun(record, parameters: ["training.learning_rate": "\(0.1 * Double(index + 1))", "training.batch_size": "\(64 << index)",
                                               "note-\(Self.hostile)": Self.hostile],
                          tags: ["owner": Self.hostile])
      let curve = (1...5_000).map { step in
        MetricPoint(key: "train.loss", step: Int64(step), value: 1.0 / Double(step) + Double(index) * 0.01, timestamp: time)
      }
      try store.appendMetrics(curve + [
        MetricPoint(key: "test.accuracy", step: 0, value: 0.8 + Double(index) * 0.01, timestamp: time),
        MetricPoint(key: "metric-\(Self.hostile)", step: 0, value: 1, timestamp: time),
      ], runID: id, generation: nil)
      let file = directory.appendingPathComponent("checkpoint-\(index).txt")
      try Data("weights of run \(index)\n".utf8).write(to: file)
      let stored = try artifacts.store(file: file)
      try store.insertArtifact(ArtifactRecord(name: "model/checkpoint.h5", sha256: stored.sha256, size: stored.size,
                                              storagePath: stored.storagePath, loggedTime: time), runID: id, generation: nil)
      try store.insertDatasetInput(DatasetReference(name: "adult", version: "1", fingerprint: String(repeating: "f", count: 64), split: "train"),
                                   runID: id, generation: nil)
      if index < 2 {
        try store.endRun(runID: id, status: .finished, at: time.addingTimeInterval(600), details: [:], generation: nil)
      }
      runIDs.append(id)
    }
    for (index, runID) in runIDs.prefix(2).enumerated() {
      let draft = ModelVersionDraft(modelName: "income", runID: runID, checkpointArtifact: "model/checkpoint.h5", checkpointSHA256: nil,
                                    datasetFingerprint: String(repeating: "f", count: 64), gitCommit: "0123456789abcdef",
                                    configurationHash: String(repeating: "\(index)", count: 64))
      let registered = Self.start.addingTimeInterval(86_400 * Double(1 + 2 * index))
      _ = try store.registerModelVersion(draft, at: registered)
      _ = try store.changeStage(model: "income", version: index + 1, StageChangeRequest(target: .staging, approver: "reviewer"),
                                at: registered.addingTimeInterval(60))
      _ = try store.changeStage(model: "income", version: index + 1, StageChangeRequest(target: .production, approver: "reviewer"),
                                at: registered.addingTimeInterval(120))
    }
    _ = try store.appendAuditEvent(kind: .gateEvaluated, runID: runIDs[0],
                                   payload: .object(["model": .string("income"), "passed": .bool(true), "note": .string(Self.hostile)]),
                                   at: Self.start.addingTimeInterval(86_400))
    // A sweep of four trials on two workers, the last one pruned, written by the sweep layer itself.
    let learningRates = try JSONDecoder().decode(SearchDistribution.self, from: Data(#"{"loguniform": [0.001, 1]}"#.utf8))
    let tracker = Tracker(store: store, artifactsDirectory: storeDirectory.appendingPathComponent("artifacts"))
    let plan = SweepPlan(experimentFile: "experiments/adult.yaml", trials: 4, seed: 1,
                         objectives: [SweepConfiguration.Objective(metric: "test.accuracy", direction: .maximize)],
                         sampler: .random, space: ["learning_rate": learningRates])
    let sweep = try tracker.startRun(experiment: "adult", name: "sweep", tags: ["sweep.plan": plan.json],
                                     options: RunLoggingOptions(heartbeatInterval: nil))
    sweepID = sweep.id
    let trials = try TrackedTrialStorage(tracker: tracker, sweepRunID: sweep.id, createsTrialRuns: false, objectiveMetric: "test.accuracy")
    for index in 0..<4 {
      let time = Self.start.addingTimeInterval(Double(index) * 60)
      let number = try trials.createTrial(leaseOwner: "worker-\(index % 2)", at: time)
      try trials.setParameter("learning_rate", value: .float(0.01 * Double(index + 1)),
                              distribution: .float(low: 0.001, high: 1, scale: .logarithmic, step: nil), trial: number)
      for step in 0..<3 {
        let value: Double = 0.5 + 0.1 * Double(step) + 0.01 * Double(index)
        try trials.setIntermediateValues([value], step: step, trial: number)
      }
      let final: [Double]? = index == 3 ? nil : [0.8 + 0.01 * Double(index)]
      try trials.finishTrial(number, state: index == 3 ? .pruned : .complete, values: final,
                             error: nil, at: time.addingTimeInterval(30))
    }
    try sweep.finish()
    // A sweep of two objectives (accuracy up, seconds down): trial 2 is dominated by trial 1.
    let twoObjectives = SweepPlan(experimentFile: "experiments/adult.yaml", trials: 4, seed: 1,
                                  objectives: [SweepConfiguration.Objective(metric: "test.accuracy", direction: .maximize),
                                               SweepConfiguration.Objective(metric: "train.seconds", direction: .minimize)],
                                  sampler: .nsga2, space: ["learning_rate": learningRates])
    let paretoSweep = try tracker.startRun(experiment: "adult", name: "pareto-sweep", tags: ["sweep.plan": twoObjectives.json],
                                           options: RunLoggingOptions(heartbeatInterval: nil))
    paretoSweepID = paretoSweep.id
    let paretoTrials = try TrackedTrialStorage(tracker: tracker, sweepRunID: paretoSweep.id, createsTrialRuns: false, objectiveMetric: "test.accuracy")
    for (index, values) in [[0.80, 10.0], [0.82, 20], [0.81, 30], [0.85, 40]].enumerated() {
      let time = Self.start.addingTimeInterval(Double(index) * 60)
      let number = try paretoTrials.createTrial(leaseOwner: "worker-0", at: time)
      try paretoTrials.setParameter("learning_rate", value: .float(0.01 * Double(index + 1)),
                                    distribution: .float(low: 0.001, high: 1, scale: .logarithmic, step: nil), trial: number)
      try paretoTrials.finishTrial(number, state: .complete, values: values, error: nil, at: time.addingTimeInterval(30))
    }
    try paretoSweep.finish()
    // A model card, and a file outside the reports folder that no route may reach.
    let card = reportsDirectory.appendingPathComponent("income/v2")
    try FileManager.default.createDirectory(at: card, withIntermediateDirectories: true)
    try Data("<html><body><h1>Model card</h1></body></html>".utf8).write(to: card.appendingPathComponent("model-card.html"))
    try Data("secret\n".utf8).write(to: directory.appendingPathComponent("secret.txt"))
    let drift = reportsDirectory.appendingPathComponent("income/drift/2026-06-01T000000Z")
    try FileManager.default.createDirectory(at: drift, withIntermediateDirectories: true)
    try Data("<html><body>drift report</body></html>".utf8).write(to: drift.appendingPathComponent("drift-report.html"))
    try FileManager.default.createSymbolicLink(at: drift.appendingPathComponent("linked.html"),
                                               withDestinationURL: directory.appendingPathComponent("secret.txt"))
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}
