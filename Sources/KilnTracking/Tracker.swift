import Foundation
import KilnPaths

/// The entry point of experiment tracking: starts runs and answers queries about them.
///
/// ```swift
/// let tracker = try Tracker(storeDirectory: layout.storeDirectory)
/// let run = try tracker.startRun(experiment: "adult-income", configuration: RunConfiguration(json: config))
/// try run.log("train.loss", value: 0.41, step: 1)
/// try run.finish(.finished)
/// ```
public final class Tracker: Sendable {
  /// Where the records are kept.
  public let store: any TrackingStore
  /// Where artifact contents are kept.
  public let artifactStore: ArtifactStore
  /// The clock used for every timestamp (injected in tests).
  public let clock: @Sendable () -> Date

  /// A tracker over the SQLite store in `storeDirectory` (`kiln.sqlite` and `artifacts/`).
  public convenience init(storeDirectory: URL, clock: @escaping @Sendable () -> Date = { Date() }) throws {
    try self.init(location: .embedded(directory: storeDirectory),
                  artifactsDirectory: storeDirectory.appendingPathComponent("artifacts", isDirectory: true), clock: clock)
  }

  /// A tracker over the store at `location`, with artifact contents in `artifactsDirectory`.
  public convenience init(location: StoreLocation, artifactsDirectory: URL, clock: @escaping @Sendable () -> Date = { Date() }) throws {
    self.init(store: try location.open(), artifactsDirectory: artifactsDirectory, clock: clock)
  }

  /// A tracker over any store.
  public init(store: any TrackingStore, artifactsDirectory: URL, clock: @escaping @Sendable () -> Date = { Date() }) {
    self.store = store
    self.artifactStore = ArtifactStore(directory: artifactsDirectory)
    self.clock = clock
  }

  /// Starts a run and records `run.started` in the audit log.
  /// - Parameters:
  ///   - experiment: the experiment's name; created on first use.
  ///   - name: a display name; defaults to the experiment's name and the start time.
  ///   - parent: the id of the parent run (sweep trials, nested runs).
  ///   - configuration: the full resolved configuration; its flattened keys become params.
  ///   - commandLine: the arguments the run was started with.
  ///   - sourceVersion: the git commit and dirtiness of the code (see `SourceVersion.detect`).
  public func startRun(experiment: String, name: String? = nil, parent: String? = nil,
                       configuration: RunConfiguration = .empty, seed: UInt64? = nil,
                       commandLine: [String] = [], sourceVersion: SourceVersion? = nil,
                       tags: [String: String] = [:], options: RunLoggingOptions = RunLoggingOptions()) throws -> ActiveRun {
    try checkName(experiment, kind: .experiment)
    if let name { try checkName(name, kind: .run) }
    if let parent { _ = try run(id: parent) }
    let now = clock()
    let experimentID = try store.experimentID(named: experiment, at: now)
    let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let record = RunRecord(
      id: id, experimentID: experimentID, experiment: experiment,
      name: name ?? Tracker.defaultRunName(experiment: experiment, at: now), status: .running,
      startTime: now, endTime: nil, seed: seed, commandLine: commandLine,
      host: ProcessInfo.processInfo.hostName, processID: getpid(), heartbeatTime: now,
      heartbeatInterval: options.heartbeatInterval,
      sourceVersion: sourceVersion, parentID: parent, configurationText: configuration.text,
      configurationHash: configuration.hash, deletedTime: nil)
    try store.insertRun(record, parameters: configuration.parameters, tags: tags)
    return ActiveRun(record: record, tracker: self, options: options)
  }

  /// The run with `id` (or with a unique id prefix of at least 4 characters).
  /// - Throws: `TrackingError.unknownRun` naming the id.
  public func run(id: String) throws -> RunRecord {
    if let record = try store.run(id: id) { return record }
    if id.count >= 4 {
      let matches = try store.runIDs(withPrefix: id)
      if matches.count == 1, let record = try store.run(id: matches[0]) { return record }
      if matches.count > 1 {
        throw TrackingError(.unknownRun, "run id prefix '\(id)' matches several runs: \(matches.joined(separator: ", "))",
                            hint: "give more characters of the id; `kiln runs list` shows them")
      }
    }
    throw TrackingError.unknownRun(id)
  }

  /// Runs matching `query`, in its order.
  public func runs(_ query: RunQuery = RunQuery()) throws -> [RunRecord] {
    try store.runs(matching: query)
  }

  /// The runs whose parent is `runID`, oldest first.
  public func children(of runID: String) throws -> [RunRecord] {
    try store.runs(matching: RunQuery(parentID: runID, sort: [RunSort(.attribute(.startTime))]))
  }

  /// A metric's points in step order.
  public func metricHistory(runID: String, key: String) throws -> [MetricPoint] {
    try store.metricHistory(runID: runID, key: key)
  }

  /// Soft-deletes a run: it is hidden from queries, kept in the store, and `run.deleted` is audited.
  public func deleteRun(id: String) throws {
    let record = try run(id: id)
    try store.softDeleteRun(runID: record.id, at: clock())
  }

  /// Appends an event (for example `.gateEvaluated`, `.modelPromoted`) to the audit log at the
  /// tracker's current time, chained to the previous event.
  @discardableResult
  public func recordAuditEvent(_ kind: AuditEventKind, runID: String? = nil, payload: JSONValue = .object([:])) throws -> AuditEvent {
    try store.appendAuditEvent(kind: kind, runID: runID, payload: payload, at: clock())
  }

  /// All experiments, oldest first.
  public func experiments() throws -> [ExperimentRecord] {
    try store.experiments()
  }

  /// The audit log's newest event, which reports record as the head they were written at.
  public func auditHead() throws -> AuditHead {
    try store.auditHead()
  }

  /// Walks the audit log's hash chain, then checks it against heads held outside the store.
  ///
  /// The chain alone shows an event edited in place; the registry shows a deleted event that set
  /// a version's stage; `anchors` (heads recorded by reports and signed checkpoints) show a
  /// history rewritten with its chain recomputed, and deleted newest events up to the newest
  /// anchor.
  public func verifyAuditLog(anchors: [AuditAnchor] = []) throws -> AuditVerification {
    try AuditVerification.verify(store: store, anchors: anchors)
  }

  /// Continues a killed or failed run (`id` may be a unique prefix, as `kiln runs list` prints) in
  /// this process: it is marked running again (audited as `run.resumed`) under the next
  /// generation, and further metrics, artifacts and the final status go to the same run. Any
  /// process still writing under an older generation is refused from then on.
  public func resumeRun(id: String, options: RunLoggingOptions = RunLoggingOptions()) throws -> ActiveRun {
    let runID = try run(id: id).id
    let generation = try store.reopenRun(runID: runID, host: ProcessInfo.processInfo.hostName, processID: getpid(), at: clock())
    return ActiveRun(record: try run(id: runID), generation: generation, tracker: self, options: options)
  }

  /// Marks as `killed` every running run whose process is gone: on this host a pid that no
  /// longer exists; for a run that sends heartbeats, none for `staleAfter` seconds (at least
  /// three of its intervals). A run without heartbeats on another host is never marked.
  /// - Returns: the ids of the runs marked.
  @discardableResult
  public func markKilledRuns(staleAfter: TimeInterval = 120) throws -> [String] {
    // A read-only store is a record to read, not to tidy.
    if store.isReadOnly { return [] }
    let now = clock()
    let host = ProcessInfo.processInfo.hostName
    var killed: [String] = []
    for record in try store.runs(matching: RunQuery(status: .running, sort: [], includeDeleted: true)) {
      let processGone = record.host == host && !Tracker.processExists(record.processID)
      let heartbeatAge = now.timeIntervalSince(record.heartbeatTime)
      let heartbeatStale = record.heartbeatInterval.map { heartbeatAge > max(staleAfter, 3 * $0) } ?? false
      guard processGone || heartbeatStale else { continue }
      let reason = processGone ? "process \(record.processID) on \(host) is gone"
                               : "no heartbeat for \(Int(heartbeatAge)) s"
      try store.endRun(runID: record.id, status: .killed, at: now, details: ["reason": .string(reason)])
      killed.append(record.id)
    }
    return killed
  }

  static func processExists(_ processID: Int32) -> Bool {
    if processID == getpid() { return true }
    return kill(processID, 0) == 0 || errno == EPERM
  }

  /// `EXPERIMENT-20250131T093000Z`: the experiment's name and the start time, within the name rule.
  static func defaultRunName(experiment: String, at time: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withYear, .withMonth, .withDay, .withTime, .withTimeZone]
    return "\(experiment)-\(formatter.string(from: time))"
  }
}

/// Checks a name a store is given against the one naming rule (`KilnPaths.Name`).
/// - Throws: `TrackingError(.invalidName)` naming the name, what is wrong and the rule.
func checkName(_ name: String, kind: NameKind) throws {
  do {
    _ = try Name(name, kind: kind)
  } catch let error as NameError {
    throw TrackingError(.invalidName, error.description, hint: "rename it; names become folder and file names")
  }
}
