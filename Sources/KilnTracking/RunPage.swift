/// A page of a run listing (`RunStore.forEachRunPage`): runs in the query's order and the latest
/// values of the asked-for metrics of each.
public struct RunPage: Sendable {
  public var runs: [RunRecord]
  /// Latest metric values by run id and key; a run without any of the metrics is absent.
  public var metrics: [String: [String: Double]]

  public init(runs: [RunRecord], metrics: [String: [String: Double]]) {
    self.runs = runs
    self.metrics = metrics
  }
}
