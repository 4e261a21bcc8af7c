/// One metric series as a chart draws it: every point after a step when there are few, else
/// each of a fixed number of equal step ranges reduced to its lowest and highest value — so a
/// curve of 100,000 steps is read as a few thousand rows, and its spikes and dips survive.
public struct MetricSeries: Equatable, Sendable {
  /// A step and its value: a logged point, or a bucket's extreme placed at the bucket's first or
  /// last step.
  public struct Sample: Equatable, Sendable {
    public var step: Int64
    public var value: Double

    public init(step: Int64, value: Double) {
      self.step = step
      self.value = value
    }
  }

  public var key: String
  /// How many points the series has after the step asked for.
  public var count: Int
  /// The points in step order, or (`isReduced`) two samples per bucket: the bucket's minimum
  /// and maximum, the one the bucket's values start nearer to at its first step, the other at
  /// its last (for a falling stretch the maximum comes first).
  public var samples: [Sample]
  /// Whether `samples` are bucket extremes rather than the points themselves.
  public var isReduced: Bool

  public init(key: String, count: Int, samples: [Sample], isReduced: Bool) {
    self.key = key
    self.count = count
    self.samples = samples
    self.isReduced = isReduced
  }
}
