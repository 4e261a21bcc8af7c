import Foundation

/// Everything Kiln keeps: runs with the audit log, the model registry and sweep trials. The
/// tracker holds its store as this composition, so every capability is reached without knowing
/// the store: `SQLiteTrackingStore` is the embedded default, and a server database is added by
/// implementing the three protocols and passing the store contract tests (`StoreContractTests`).
public typealias TrackingStore = RunStore & ModelRegistryStore & SweepTrialStore & StoreTransfer

/// Where runs, metrics, artifacts, lineage and the audit log are kept.
///
/// Every mutation that the audit log records (a run started, finished, killed or deleted; an
/// artifact logged) appends its audit event in the same transaction as the change.
public protocol RunStore: Sendable {
  /// Whether the store can only be read; its writes throw `TrackingError.readOnlyStore`.
  var isReadOnly: Bool { get }

  // MARK: Writing
  /// The id of the experiment named `name`, created when it does not exist.
  func experimentID(named name: String, at time: Date) throws -> Int64
  /// Inserts a new run with its parameters and tags, and audits `run.started`.
  func insertRun(_ run: RunRecord, parameters: [String: String], tags: [String: String]) throws
  /// Appends metric points to a run's history in one transaction, keeping each key's latest value.
  ///
  /// Every write to a run takes the writer's `generation` (`nil` for writes that are not a run's
  /// own, such as an evaluation added later): when the run has since been resumed by another
  /// process, the write is refused with `TrackingError.staleWriter` and changes nothing.
  func appendMetrics(_ points: [MetricPoint], runID: String, generation: Int64?) throws
  func setTag(runID: String, key: String, value: String, generation: Int64?) throws
  /// Adds parameters to a run; a key already logged keeps its first value unless `replacing`.
  func setParameters(runID: String, _ parameters: [String: String], replacing: Bool, generation: Int64?) throws
  /// Records an artifact already placed in the artifact store, and audits `artifact.logged`.
  func insertArtifact(_ artifact: ArtifactRecord, runID: String, generation: Int64?) throws
  func insertDatasetInput(_ dataset: DatasetReference, runID: String, generation: Int64?) throws
  func updateHeartbeat(runID: String, at time: Date, generation: Int64?) throws
  /// Ends a run with `status` and audits `run.finished` (or `run.killed`) with `details`.
  func endRun(runID: String, status: RunStatus, at time: Date, details: [String: JSONValue], generation: Int64?) throws
  /// Marks a killed or failed run as running again in process `processID` on `host` (resume),
  /// appending a `run.resumed` audit event, and returns the run's new generation; throws when the
  /// run is not killed or failed.
  func reopenRun(runID: String, host: String, processID: Int32, at time: Date) throws -> Int64
  /// Hides a run from queries and audits `run.deleted`.
  func softDeleteRun(runID: String, at time: Date) throws
  /// Appends an event to the audit log, chained to the previous one, and returns it.
  @discardableResult
  func appendAuditEvent(kind: AuditEventKind, runID: String?, payload: JSONValue, at time: Date) throws -> AuditEvent

  // MARK: Reading
  func experiments() throws -> [ExperimentRecord]
  func run(id: String) throws -> RunRecord?
  /// The ids of runs whose id starts with `prefix`.
  func runIDs(withPrefix prefix: String) throws -> [String]
  func runs(matching query: RunQuery) throws -> [RunRecord]
  /// The runs of `query` in its order, `pageSize` at a time, each page with the latest values of
  /// `metricKeys` (every key when nil) of its runs: what `runs(matching:)` and
  /// `latestMetrics(runIDs:keys:)` give, from one consistent read, without ever holding more than
  /// a page, so a listing of any length takes bounded memory. `body` runs inside the read and
  /// must not use the store.
  func forEachRunPage(matching query: RunQuery, pageSize: Int, metricKeys: [String]?, _ body: (RunPage) throws -> Void) throws
  func parameters(runID: String) throws -> [String: String]
  func tags(runID: String) throws -> [String: String]
  /// The parameters of many runs at once, by run id (a page of a listing in one query).
  func parameters(runIDs: [String]) throws -> [String: [String: String]]
  /// The latest value (highest step) of each of a run's metrics.
  func latestMetrics(runID: String) throws -> [String: MetricPoint]
  /// The latest values of the given keys (all keys when `nil`) for many runs at once.
  func latestMetrics(runIDs: [String], keys: [String]?) throws -> [String: [String: Double]]
  /// A metric's points in step order.
  func metricHistory(runID: String, key: String) throws -> [MetricPoint]
  /// A metric's points after `afterStep` (all when nil) for drawing: the points themselves when
  /// there are at most `2 × buckets`, else each of `buckets` equal step ranges reduced in the
  /// database to its minimum and maximum (`MetricSeries`), so no more than that is read.
  func metricSeries(runID: String, key: String, afterStep: Int64?, buckets: Int) throws -> MetricSeries
  func metricSummary(runID: String, key: String, buckets: Int) throws -> MetricSummary
  /// Summaries of all of a run's metric series, in key order.
  func metricSummaries(runID: String, buckets: Int) throws -> [MetricSummary]
  func metricPointCount(runID: String) throws -> Int
  func artifacts(runID: String) throws -> [ArtifactRecord]
  func datasetInputs(runID: String) throws -> [DatasetReference]
  /// The dataset inputs of many runs at once, by run id.
  func datasetInputs(runIDs: [String]) throws -> [String: [DatasetReference]]
  /// All audit events in sequence order.
  func auditEvents() throws -> [AuditEvent]
  /// The audit events `query` selects, in its order and page.
  func auditEvents(matching query: AuditEventQuery) throws -> [AuditEvent]
  /// How many audit events `query` selects, ignoring its page.
  func auditEventCount(matching query: AuditEventQuery) throws -> Int
  /// The kinds of event the log holds, in name order.
  func auditEventKinds() throws -> [AuditEventKind]
  /// The newest audit event's sequence and hash (`AuditHead.empty` for an empty log).
  func auditHead() throws -> AuditHead
  /// The store's own consistency check (`ok` when sound).
  func integrityCheck() throws -> String
}

extension RunStore {
  /// Writes that are not a run's own (evaluations, sweep bookkeeping, housekeeping): unfenced.
  public func appendMetrics(_ points: [MetricPoint], runID: String) throws {
    try appendMetrics(points, runID: runID, generation: nil)
  }
  public func setTag(runID: String, key: String, value: String) throws {
    try setTag(runID: runID, key: key, value: value, generation: nil)
  }
  public func setParameters(runID: String, _ parameters: [String: String], replacing: Bool) throws {
    try setParameters(runID: runID, parameters, replacing: replacing, generation: nil)
  }
  public func insertArtifact(_ artifact: ArtifactRecord, runID: String) throws {
    try insertArtifact(artifact, runID: runID, generation: nil)
  }
  public func insertDatasetInput(_ dataset: DatasetReference, runID: String) throws {
    try insertDatasetInput(dataset, runID: runID, generation: nil)
  }
  public func endRun(runID: String, status: RunStatus, at time: Date, details: [String: JSONValue]) throws {
    try endRun(runID: runID, status: status, at: time, details: details, generation: nil)
  }
}
