import Foundation

/// How a run buffers metrics and reports that it is alive.
public struct RunLoggingOptions: Sendable {
  /// Buffered points are written in one transaction once this many have accumulated.
  public var flushThreshold: Int
  /// Buffered points are also written when the oldest unwritten one is this many seconds old, at
  /// the next `log`: a point is never held back longer than that while the run keeps logging.
  public var flushInterval: TimeInterval
  /// Seconds between heartbeats; `nil` sends none (the pid still identifies a dead run).
  public var heartbeatInterval: TimeInterval?

  public init(flushThreshold: Int = 5_000, flushInterval: TimeInterval = 1, heartbeatInterval: TimeInterval? = 15) {
    precondition(flushThreshold > 0, "RunLoggingOptions: flushThreshold must be positive, got \(flushThreshold)")
    precondition(flushInterval >= 0, "RunLoggingOptions: flushInterval must not be negative, got \(flushInterval)")
    self.flushThreshold = flushThreshold
    self.flushInterval = flushInterval
    self.heartbeatInterval = heartbeatInterval
  }
}

/// A run being recorded: logs metrics, tags, artifacts and inputs until it is finished.
///
/// Metrics are buffered in memory and written in batched transactions. A point is *acknowledged*
/// once the transaction that holds it has committed: when `flush()` or `finish(_:)` returns, when
/// the buffer reaches `flushThreshold`, or at the first `log` a `flushInterval` (1 s) after the
/// oldest buffered point; `acknowledgedPointCount` counts them. An acknowledged point survives
/// the process being killed (docs/tracking.md). Safe to use from several threads.
///
/// The process writes as one *generation* of the run: resuming the run elsewhere starts the next
/// one, and from then on every write of this process is refused (`TrackingError.staleWriter`).
public final class ActiveRun: @unchecked Sendable {
  /// The run's record as it was started.
  public let record: RunRecord
  public var id: String { record.id }
  /// This process's generation of the run (0 for a new run, one more at each resume).
  public let generation: Int64
  let tracker: Tracker
  let options: RunLoggingOptions
  private let lock = NSLock()
  private var buffer: [MetricPoint] = []
  private var oldestBufferedTime: TimeInterval?
  private var acknowledged = 0
  private var isFinished = false
  private var heartbeat: DispatchSourceTimer?

  init(record: RunRecord, generation: Int64 = 0, tracker: Tracker, options: RunLoggingOptions) {
    self.record = record
    self.generation = generation
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
    let store = tracker.store, clock = tracker.clock, runID = record.id, generation = generation
    // A missed heartbeat is harmless (the next one repeats it), so failures are ignored; a stale
    // generation's heartbeat is refused like its other writes.
    timer.setEventHandler { try? store.updateHeartbeat(runID: runID, at: clock(), generation: generation) }
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
    let now = ProcessInfo.processInfo.systemUptime
    lock.lock()
    precondition(!isFinished, "log: run \(record.id) is already finished")
    if buffer.isEmpty { oldestBufferedTime = now }
    buffer.append(contentsOf: points)
    let due = buffer.count >= options.flushThreshold
      || (oldestBufferedTime.map { now - $0 >= options.flushInterval } ?? false)
    lock.unlock()
    if due { try flush() }
  }

  /// Writes every buffered point in one transaction; when it returns they are acknowledged.
  public func flush() throws {
    lock.lock()
    defer { lock.unlock() }
    guard !buffer.isEmpty else { return }
    try tracker.store.appendMetrics(buffer, runID: record.id, generation: generation)
    acknowledged += buffer.count
    buffer.removeAll(keepingCapacity: true)
    oldestBufferedTime = nil
  }

  /// How many of the points this process logged are acknowledged (committed to the store).
  public var acknowledgedPointCount: Int {
    lock.lock()
    defer { lock.unlock() }
    return acknowledged
  }

  /// Sets (or replaces) a tag.
  public func setTag(_ key: String, _ value: String) throws {
    try tracker.store.setTag(runID: record.id, key: key, value: value, generation: generation)
  }

  /// Adds parameters (flattened dotted keys) beyond those of the configuration, such as values a
  /// sweep sampler chose; a key already set keeps its first value.
  public func logParameters(_ parameters: [String: String]) throws {
    try tracker.store.setParameters(runID: record.id, parameters, replacing: false, generation: generation)
  }

  /// Copies `file` into the content-addressed artifact store under the logical `name`, and
  /// records `artifact.logged` in the audit log.
  @discardableResult
  public func logArtifact(file: URL, name: String) throws -> ArtifactRecord {
    let name = try ArtifactStore.validate(name: name)
    let stored = try tracker.artifactStore.store(file: file)
    let artifact = ArtifactRecord(name: name, sha256: stored.sha256, size: stored.size,
                                  storagePath: stored.storagePath, loggedTime: tracker.clock())
    try tracker.store.insertArtifact(artifact, runID: record.id, generation: generation)
    return artifact
  }

  /// Records that the run read `dataset` (its lineage).
  public func recordInput(dataset: DatasetReference) throws {
    try tracker.store.insertDatasetInput(dataset, runID: record.id, generation: generation)
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
    try tracker.store.endRun(runID: record.id, status: status, at: tracker.clock(), details: [:], generation: generation)
  }
}
