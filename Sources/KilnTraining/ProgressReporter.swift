import Foundation
import KilnConfiguration

/// Shows training progress: a redrawn bar on a terminal, plain periodic lines otherwise.
///
/// The bar: `epoch 3/10 [#########.........] 120/203 loss 0.3412 41,230 samples/s ETA 0:12`.
/// Plain mode prints a line every `plainInterval` seconds and one per finished epoch, so logs
/// of CI jobs and batch schedulers stay short.
public final class ProgressReporter: TrainingCallback {
  public enum Mode: Sendable { case terminal, plain, quiet }

  private let mode: Mode
  private let write: (String) -> Void
  private let clock: () -> Double
  private let plainInterval: Double
  private var plan: TrainingPlan?
  private var startTime = 0.0
  private var lastDraw = -Double.infinity
  private var samplesSeen = 0
  private var runningLoss = 0.0
  private var stepsInEpoch = 0

  /// - Parameters:
  ///   - mode: `.terminal` redraws one line; `.plain` prints periodic lines; `.quiet` prints only
  ///     the final summary.
  ///   - write: where text goes (standard output by default).
  ///   - clock: seconds, monotonic (injected so tests are deterministic).
  public init(mode: Mode, plainInterval: Double = 10, write: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
              clock: @escaping () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
    self.mode = mode
    self.write = write
    self.clock = clock
    self.plainInterval = plainInterval
  }

  public func handle(_ event: TrainingEvent) throws -> TrainingDirective {
    switch event {
    case .started(let plan):
      self.plan = plan
      startTime = clock()
      if mode != .quiet {
        write("training: \(plan.epochs) epochs × \(plan.stepsPerEpoch) steps, \(plan.samplesPerEpoch) samples per epoch\n")
      }
    case .epochStarted:
      runningLoss = 0
      stepsInEpoch = 0
    case .batchEnded(let batch):
      samplesSeen += batch.samples
      runningLoss += batch.loss
      stepsInEpoch += 1
      let now = clock()
      switch mode {
      case .terminal where now - lastDraw >= 0.1:
        lastDraw = now
        write("\r" + barLine(batch, now: now) + "\u{1B}[K")
      case .plain where now - lastDraw >= plainInterval:
        lastDraw = now
        write(barLine(batch, now: now, bar: false) + "\n")
      default: break
      }
    case .epochEnded(let summary):
      guard mode != .quiet else { break }
      let metrics = summary.validationMetrics.sorted { $0.key < $1.key }
        .map { "\($0.key) \(String(format: "%.4f", $0.value))" }.joined(separator: "  ")
      let prefix = mode == .terminal ? "\r\u{1B}[K" : ""
      write(prefix + "epoch \(summary.epoch + 1)/\(plan?.epochs ?? 0)  loss \(String(format: "%.4f", summary.trainingLoss))  \(metrics)  (\(String(format: "%.1f", summary.seconds)) s)\n")
    case .finished(let outcome):
      let elapsed = clock() - startTime
      let rate = elapsed > 0 ? Double(samplesSeen) / elapsed : 0
      let how: String
      switch outcome {
      case .completed(let epochs): how = "completed \(epochs) epochs"
      case .stoppedEarly(let epoch, let reason): how = "stopped early after epoch \(epoch + 1): \(reason)"
      case .diverged(let epoch, let step, let reason): how = "diverged at epoch \(epoch + 1), step \(step): \(reason)"
      }
      write("training \(how) in \(formatDuration(elapsed)) (\(Int(rate.rounded())) samples/s)\n")
    }
    return .proceed
  }

  private func barLine(_ batch: BatchSummary, now: Double, bar: Bool = true) -> String {
    guard let plan else { return "" }
    let elapsed = max(now - startTime, 1e-9)
    let rate = Double(samplesSeen) / elapsed
    let stepsDone = batch.globalStep - plan.firstStep
    let stepsTotal = (plan.epochs - plan.firstEpoch) * plan.stepsPerEpoch - (plan.firstStep - plan.firstEpoch * plan.stepsPerEpoch)
    let remaining = stepsDone > 0 ? elapsed / Double(stepsDone) * Double(max(stepsTotal - stepsDone, 0)) : 0
    let meanLoss = runningLoss / Double(max(stepsInEpoch, 1))
    var line = "epoch \(batch.epoch + 1)/\(plan.epochs) "
    if bar {
      let width = 24
      let filled = min(width, width * (batch.stepInEpoch + 1) / max(plan.stepsPerEpoch, 1))
      line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
    }
    line += "\(batch.stepInEpoch + 1)/\(plan.stepsPerEpoch) loss \(String(format: "%.4f", meanLoss)) "
    line += "\(Int(rate.rounded())) samples/s ETA \(formatDuration(remaining))"
    return line
  }
}

/// `m:ss` or `h:mm:ss`.
func formatDuration(_ seconds: Double) -> String {
  let total = Int(seconds.rounded())
  let (hours, minutes, secs) = (total / 3600, (total % 3600) / 60, total % 60)
  return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
}
