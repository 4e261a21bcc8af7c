/// What a run used of the machine: wall time, CPU time, peak memory and training throughput,
/// recorded once at its end as metrics under `system.` (as MLflow logs its system metrics).
///
/// The trainer records it for every training run (also a failed one) and a sweep's run records
/// its trials' totals. The `system.*` names are outside `MetricDirection`'s table on purpose: no
/// gate, sweep, early stopping or champion comparison takes them for a model-quality metric
/// unless it names one, and a champion gate on one must state its `direction`.
///
/// CPU time and peak memory are the process's (`getrusage`): CPU time counts every thread of the
/// process during the run (user + system), and the peak resident set is the process's peak so
/// far, so a run in a longer-lived process (a sweep's trials in one process) includes what that
/// process held before it.
public struct ResourceUsage: Sendable, Equatable {
  /// The metric names, one per measure.
  public enum Key: String, CaseIterable, Sendable {
    case wallSeconds = "system.wall_seconds"
    case cpuSeconds = "system.cpu_seconds"
    case peakResidentBytes = "system.peak_rss_bytes"
    case peakResidentBytesSum = "system.peak_rss_bytes_sum"
    case ranks = "system.ranks"
    case trials = "system.trials"
    case samples = "system.samples"
    case trainingSeconds = "system.train_seconds"
    case trainingSamplesPerSecond = "system.train_samples_per_second"
    case samplesPerSecond = "system.samples_per_second"
  }

  /// The prefix of every resource metric (also of `system.epoch_seconds`, each epoch's wall time).
  public static let prefix = "system."

  /// Seconds from the run's start to its end.
  public var wallSeconds: Double
  /// User + system CPU seconds, summed over the ranks (over the trials for a sweep).
  public var cpuSeconds: Double
  /// The largest peak resident set of a rank (of a trial for a sweep), in bytes.
  public var peakResidentBytes: Double
  /// The peak resident sets summed over the ranks (a data-parallel run's footprint); nil for a sweep.
  public var peakResidentBytesSum: Double?
  /// The ranks whose CPU time and memory are counted (1 when only rank 0 could be measured).
  public var ranks: Int?
  /// The trial runs counted (a sweep's totals only).
  public var trials: Int?
  /// Training rows processed over all ranks and epochs (over all trials for a sweep).
  public var samples: Double
  /// Seconds spent in training steps (forward, backward, gradient averaging, update).
  public var trainingSeconds: Double

  public init(wallSeconds: Double, cpuSeconds: Double, peakResidentBytes: Double, peakResidentBytesSum: Double? = nil,
              ranks: Int? = nil, trials: Int? = nil, samples: Double, trainingSeconds: Double) {
    self.wallSeconds = wallSeconds
    self.cpuSeconds = cpuSeconds
    self.peakResidentBytes = peakResidentBytes
    self.peakResidentBytesSum = peakResidentBytesSum
    self.ranks = ranks
    self.trials = trials
    self.samples = samples
    self.trainingSeconds = trainingSeconds
  }

  /// Training rows per second of training steps; nil before any step.
  public var trainingSamplesPerSecond: Double? { trainingSeconds > 0 ? samples / trainingSeconds : nil }

  /// Training rows per second of wall time (everything included: loading, validation, checkpoints).
  public var samplesPerSecond: Double? { wallSeconds > 0 ? samples / wallSeconds : nil }

  /// The metrics to record, keyed by `Key`.
  public var metrics: [String: Double] {
    var metrics: [Key: Double] = [
      .wallSeconds: wallSeconds, .cpuSeconds: cpuSeconds, .peakResidentBytes: peakResidentBytes,
      .samples: samples, .trainingSeconds: trainingSeconds,
    ]
    metrics[.peakResidentBytesSum] = peakResidentBytesSum
    metrics[.ranks] = ranks.map(Double.init)
    metrics[.trials] = trials.map(Double.init)
    metrics[.trainingSamplesPerSecond] = trainingSamplesPerSecond
    metrics[.samplesPerSecond] = samplesPerSecond
    return Dictionary(uniqueKeysWithValues: metrics.map { ($0.key.rawValue, $0.value) })
  }

  /// The usage recorded in `metrics` (a run's latest values), or nil when the run has none.
  public init?(metrics: [String: Double]) {
    func value(_ key: Key) -> Double? { metrics[key.rawValue] }
    guard let wall = value(.wallSeconds), let cpu = value(.cpuSeconds), let peak = value(.peakResidentBytes) else { return nil }
    self.init(wallSeconds: wall, cpuSeconds: cpu, peakResidentBytes: peak, peakResidentBytesSum: value(.peakResidentBytesSum),
              ranks: value(.ranks).flatMap { Int(exactly: $0) }, trials: value(.trials).flatMap { Int(exactly: $0) },
              samples: value(.samples) ?? 0, trainingSeconds: value(.trainingSeconds) ?? 0)
  }

  /// A sweep's totals: its own wall time, its trials' CPU time, rows and step time summed, and
  /// the largest peak of a trial.
  public static func total(of trials: [ResourceUsage], wallSeconds: Double) -> ResourceUsage {
    ResourceUsage(wallSeconds: wallSeconds, cpuSeconds: trials.map(\.cpuSeconds).reduce(0, +),
                  peakResidentBytes: trials.map(\.peakResidentBytes).max() ?? 0, trials: trials.count,
                  samples: trials.map(\.samples).reduce(0, +), trainingSeconds: trials.map(\.trainingSeconds).reduce(0, +))
  }
}
