/// The lifecycle state of a run.
///
/// A run starts `running`; `finish(_:)` moves it to `finished` or `failed`; a run whose process
/// died without finishing (stale heartbeat or dead pid) is marked `killed` when the store is next
/// opened for reading.
public enum RunStatus: String, Codable, CaseIterable, Sendable {
  case running
  case finished
  case failed
  case killed

  /// MLflow's numeric `RunStatus` (RUNNING 1, FINISHED 3, FAILED 4, KILLED 5).
  public var mlflowCode: Int {
    switch self {
    case .running: return 1
    case .finished: return 3
    case .failed: return 4
    case .killed: return 5
    }
  }
}
