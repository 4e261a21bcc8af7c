import Foundation

/// How a run buffers metrics and reports that it is alive.
public struct RunLoggingOptions: Sendable {
  /// Buffered points are written in one transaction once this many have accumulated.
  public var flushThreshold: Int
  /// Seconds between heartbeats; `nil` sends none (the pid still identifies a dead run).
  public var heartbeatInterval: TimeInterval?

  public init(flushThreshold: Int = 5_000, heartbeatInterval: TimeInterval? = 15) {
    precondition(flushThreshold > 0, "RunLoggingOptions: flushThreshold must be positive, got \(flushThreshold)")
    self.flushThreshold = flushThreshold
    self.heartbeatInterval = heartbeatInterval
  }
}

/// A run being recorded: logs metrics, tags, artifacts and inputs until it is finished.
///
/// Metrics are buffered in memory and written in batched transactions; a point is durable once
/// `flush()` or `finish(_:)` has returned. Safe to use from several threads.
public final class ActiveRun: @unchecked Sendable {
  /// The run's record as it was started.
  public let record: RunRecord
  public var id: String { record.id }
  let tracker: Tracker
  let options: RunLoggingOptions
  private let lock = NSLock()
  private var buffer: [MetricPoint] = []
  private var isFinished = false
  private var heartbeat: DispatchSourceTimer?

  init(record: RunRecord, tracker: Tracker, options: RunLoggingOptions) {
    self.record = record
    self.tracker = tracker
    self.options = options
    buffer.reserveCapacity(options.flushThreshold)
    if let interval = options.heartbeatInterval { startHeartbeat(every: interval) }
  }

  deinit {
    heartbeat?.cancel()
  }

  private func startHeartbeat(every interval: TimeInterval) {
    let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
    timer.schedule(deadline: .now() + interval, repeating: interval)
    let store = tracker.store, clock = tracker.clock, runID = record.id
    // A missed heartbeat is harmless (the next one repeats it), so failures are ignored.
    timer.setEventHandler { try? store.updateHeartbeat(runID: runID, at: clock()) }
    timer.resume()
    heartbeat = timer
  }

  /// Buffers one metric value at `step`.
  public func log(_ key: String, value: Double, step: Int) throws {
    try append([MetricPoint(key: key, step: Int64(step), value: value, timestamp: tracker.clock())])
  }

  /// Buffers several metric values at the same `step`.
  public func log(metrics: [String: Double], step: Int) throws {
    let now = tracker.clock()
    try append(metrics.sorted { $0.key < $1.key }.map {
      MetricPoint(key: $0.key, step: Int64(step), value: $0.value, timestamp: now)
    })
  }

  private func append(_ points: [MetricPoint]) throws {
    lock.lock()
    precondition(!isFinished, "log: run \(record.id) is already finished")
    buffer.append(contentsOf: points)
    let full = buffer.count >= options.flushThreshold
    lock.unlock()
    if full { try flush() }
  }

  /// Writes every buffered point in one transaction; when it returns they are durable.
  public func flush() throws {
    lock.lock()
    defer { lock.unlock() }
    guard !buffer.isEmpty else { return }
    try tracker.store.appendMetrics(buffer, runID: record.id)
    buffer.removeAll(keepingCapacity: true)
  }

  /// Sets (or replaces) a tag.
  public func setTag(_ key: String, _ value: String) throws {
    try tracker.store.setTag(runID: record.id, key: key, value: value)
  }

  /// Adds parameters (flattened dotted keys) beyond those of the configuration, such as values a
  /// sweep sampler chose; a key already set keeps its first value.
  public func logParameters(_ parameters: [String: String]) throws {
    try tracker.store.setParameters(runID: record.id, parameters, replacing: false)
  }

  /// Copies `file` into the content-addressed artifact store under the logical `name`, and
  /// records `artifact.logged` in the audit log.
  @discardableResult
  public func logArtifact(file: URL, name: String) throws -> ArtifactRecord {
    let name = try ArtifactStore.validate(name: name)
    let stored = try tracker.artifactStore.store(file: file)
    let artifact = ArtifactRecord(name: name, sha256: stored.sha256, size: stored.size,
                                  storagePath: stored.storagePath, loggedTime: tracker.clock())
    try tracker.store.insertArtifact(artifact, runID: record.id)
    return artifact
  }

  /// Records that the run read `dataset` (its lineage).
  public func recordInput(dataset: DatasetReference) throws {
    try tracker.store.insertDatasetInput(dataset, runID: record.id)
  }

  /// Flushes, ends the run with `status` and records `run.finished` in the audit log.
  public func finish(_ status: RunStatus = .finished) throws {
    precondition(status != .running, "finish: a run cannot finish with status running")
    try flush()
    heartbeat?.cancel()
    heartbeat = nil
    lock.lock()
    isFinished = true
    lock.unlock()
    try tracker.store.endRun(runID: record.id, status: status, at: tracker.clock(), details: [:])
  }
}
