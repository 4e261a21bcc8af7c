/// When a shift counts as drift (the experiment file's `monitoring:` block).
///
/// A feature drifts when its PSI exceeds `psiThreshold` **and** its two-sample test rejects "same
/// distribution" at `pValue`; one of the two alone is a warning. Requiring both keeps large batches
/// (where any shift is significant) and small ones (where PSI is noisy) from raising false alarms.
public struct DriftThresholds: Codable, Sendable, Equatable {
  public var psiThreshold: Double
  public var pValue: Double
  /// The score (prediction) distribution drifts when its PSI exceeds this.
  public var scorePSIThreshold: Double
  /// Numeric features are binned at this many reference quantiles for PSI and histograms.
  public var bins: Int
  /// Groups with fewer rows in the reference or the current batch are not tested within.
  public var minGroupSize: Int

  public init(psiThreshold: Double = 0.2, pValue: Double = 0.01, scorePSIThreshold: Double? = nil,
              bins: Int = 10, minGroupSize: Int = 30) {
    precondition(psiThreshold > 0, "DriftThresholds: psiThreshold must be positive, found \(psiThreshold)")
    precondition(pValue > 0 && pValue < 1, "DriftThresholds: pValue must be in (0, 1), found \(pValue)")
    precondition(bins >= 2, "DriftThresholds: bins must be at least 2, found \(bins)")
    self.psiThreshold = psiThreshold
    self.pValue = pValue
    self.scorePSIThreshold = scorePSIThreshold ?? psiThreshold
    self.bins = bins
    self.minGroupSize = minGroupSize
  }

  enum CodingKeys: String, CodingKey {
    case psiThreshold = "psi_threshold", pValue = "p_value", scorePSIThreshold = "score_psi_threshold"
    case bins, minGroupSize = "min_group_size"
  }

  /// The verdict of a PSI and a p-value.
  public func verdict(psi: Double, pValue observed: Double) -> DriftVerdict {
    let shifted = psi > psiThreshold, significant = observed < pValue
    return shifted && significant ? .drift : shifted || significant ? .warning : .stable
  }
}

/// A drift verdict, ordered by severity.
public enum DriftVerdict: String, Codable, Sendable, Comparable {
  case stable, warning, drift

  private var rank: Int { self == .stable ? 0 : self == .warning ? 1 : 2 }
  public static func < (lhs: DriftVerdict, rhs: DriftVerdict) -> Bool { lhs.rank < rhs.rank }
}
