/// What a robustness run measures; every list may be empty.
public struct RobustnessPlan: Codable, Sendable, Equatable {
  /// The PGD settings.
  public struct PGD: Codable, Sendable, Equatable {
    public var epsilons: [Double]
    public var steps: Int
    /// α; default ε/4.
    public var stepSize: Double?
    public var randomStart: Bool

    public init(epsilons: [Double], steps: Int = 10, stepSize: Double? = nil, randomStart: Bool = true) {
      self.epsilons = epsilons
      self.steps = steps
      self.stepSize = stepSize
      self.randomStart = randomStart
    }

    enum CodingKeys: String, CodingKey {
      case epsilons, steps
      case stepSize = "step_size", randomStart = "random_start"
    }
  }

  /// σ of Gaussian noise on standardised numerics.
  public var gaussianNoise: [Double]
  /// Rates of feature blocks set to their imputed value.
  public var missingFeatures: [Double]
  /// Rates of one-hot groups moved to another category.
  public var categoryCorruption: [Double]
  /// Strengths s ∈ (0, 1] of subgroup shift: for each sensitive attribute and each of its groups
  /// g, the test rows are re-weighted so the attribute's mix becomes (1 − s)·π + s·δ_g.
  public var subgroupShift: [Double]
  /// ε of FGSM.
  public var fgsm: [Double]
  public var pgd: PGD?
  /// Groups with fewer rows have undefined per-group values.
  public var minimumGroupSize: Int
  /// Every perturbation draws from its own stream of this seed (keyed by its name).
  public var seed: UInt64

  public init(gaussianNoise: [Double] = [], missingFeatures: [Double] = [], categoryCorruption: [Double] = [],
              subgroupShift: [Double] = [], fgsm: [Double] = [], pgd: PGD? = nil, minimumGroupSize: Int = 1, seed: UInt64 = 0) {
    self.gaussianNoise = gaussianNoise
    self.missingFeatures = missingFeatures
    self.categoryCorruption = categoryCorruption
    self.subgroupShift = subgroupShift
    self.fgsm = fgsm
    self.pgd = pgd
    self.minimumGroupSize = minimumGroupSize
    self.seed = seed
  }

  enum CodingKeys: String, CodingKey {
    case fgsm, pgd, seed
    case gaussianNoise = "gaussian_noise", missingFeatures = "missing_features", categoryCorruption = "category_corruption"
    case subgroupShift = "subgroup_shift", minimumGroupSize = "minimum_group_size"
  }

  /// Whether the plan asks for nothing.
  public var isEmpty: Bool {
    gaussianNoise.isEmpty && missingFeatures.isEmpty && categoryCorruption.isEmpty && subgroupShift.isEmpty
      && fgsm.isEmpty && (pgd?.epsilons.isEmpty ?? true)
  }
}
