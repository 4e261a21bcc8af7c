import KilnMetricDirection
import KilnConfiguration
/// Stops training when a validation metric has not improved by more than `minDelta` for
/// `patience` epochs (Keras's and Lightning's `EarlyStopping`).
public final class EarlyStopping: TrainingCallback {
  public let metric: String
  public let direction: MetricDirection
  public let patience: Int
  public let minDelta: Double
  /// The best value so far and its epoch.
  public private(set) var best: (value: Double, epoch: Int)?
  /// Epochs since the last improvement.
  public private(set) var epochsWithoutImprovement = 0

  public init(metric: String, direction: MetricDirection, patience: Int, minDelta: Double = 0) {
    precondition(patience > 0, "EarlyStopping: patience \(patience) must be at least 1")
    precondition(minDelta >= 0, "EarlyStopping: minDelta \(minDelta) must be non-negative")
    self.metric = metric
    self.direction = direction
    self.patience = patience
    self.minDelta = minDelta
  }

  /// Restores the state saved in a checkpoint, so a resumed run stops where an uninterrupted one would.
  public func restore(best: (value: Double, epoch: Int)?, epochsWithoutImprovement: Int) {
    self.best = best
    self.epochsWithoutImprovement = epochsWithoutImprovement
  }

  public func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    guard case .epochEnded(let summary) = event else { return .proceed }
    guard let value = summary.validationMetrics[metric] else {
      throw TrainingError(.configuration, "early stopping watches `\(metric)`, which the validation step did not compute",
                          hint: "use one of: \(summary.validationMetrics.keys.sorted().joined(separator: ", "))")
    }
    if let best, !improves(value, on: best.value) {
      epochsWithoutImprovement += 1
      if epochsWithoutImprovement >= patience {
        return .stop(reason: "\(metric) did not improve on \(best.value) (epoch \(best.epoch + 1)) for \(patience) epochs")
      }
    } else {
      best = (value, summary.epoch)
      epochsWithoutImprovement = 0
    }
    return .proceed
  }

  private func improves(_ value: Double, on best: Double) -> Bool {
    direction.worsening(from: best, to: value) < -minDelta
  }
}
