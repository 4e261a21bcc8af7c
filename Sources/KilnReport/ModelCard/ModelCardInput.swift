import Foundation
import KilnMetrics
import KilnTracking

/// Everything a model card shows, as plain values: the pipeline (or `kiln promote`) fills it from
/// the run, its evaluation and the gate decision; the renderers only format it.
///
/// Sections follow Mitchell et al. 2019, "Model Cards for Model Reporting" (arXiv:1810.03993).
public struct ModelCardInput: Codable, Sendable, Equatable {
  /// The card's prose, from the experiment file's `card:` block.
  public struct Prose: Codable, Sendable, Equatable {
    public var overview: String
    public var owners: [String]
    public var license: String?
    public var references: [String]
    public var intendedUses: [String]
    public var intendedUsers: [String]
    public var outOfScopeUses: [String]
    public var factors: [String]
    public var ethicalConsiderations: [EthicalConsideration]
    public var caveats: [String]

    public init(overview: String = "", owners: [String] = [], license: String? = nil, references: [String] = [],
                intendedUses: [String] = [], intendedUsers: [String] = [], outOfScopeUses: [String] = [],
                factors: [String] = [], ethicalConsiderations: [EthicalConsideration] = [], caveats: [String] = []) {
      self.overview = overview
      self.owners = owners
      self.license = license
      self.references = references
      self.intendedUses = intendedUses
      self.intendedUsers = intendedUsers
      self.outOfScopeUses = outOfScopeUses
      self.factors = factors
      self.ethicalConsiderations = ethicalConsiderations
      self.caveats = caveats
    }
  }

  /// A risk and what was done about it.
  public struct EthicalConsideration: Codable, Sendable, Equatable {
    public var name: String
    public var mitigation: String
    public init(name: String, mitigation: String) {
      self.name = name
      self.mitigation = mitigation
    }
  }

  /// A dataset split the model was trained or evaluated on.
  public struct DataDescription: Codable, Sendable, Equatable {
    public var name: String
    public var split: String
    public var rows: Int?
    public var fingerprint: String?
    public init(name: String, split: String, rows: Int? = nil, fingerprint: String? = nil) {
      self.name = name
      self.split = split
      self.rows = rows
      self.fingerprint = fingerprint
    }
  }

  public struct Point: Codable, Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
      self.x = x
      self.y = y
    }
  }

  /// A named curve (a learning curve, one robustness series).
  public struct Curve: Codable, Sendable, Equatable {
    public var name: String
    public var points: [Point]
    public init(name: String, points: [Point]) {
      self.name = name
      self.points = points
    }
  }

  /// One bin of a reliability diagram: mean predicted probability against the observed rate.
  public struct ReliabilityBin: Codable, Sendable, Equatable {
    public var meanPredicted: Double
    public var observedRate: Double
    public var count: Int
    public init(meanPredicted: Double, observedRate: Double, count: Int) {
      self.meanPredicted = meanPredicted
      self.observedRate = observedRate
      self.count = count
    }
  }

  /// One metric of one group (unitary `sex`, or intersectional `sex×race`).
  public struct GroupMetric: Codable, Sendable, Equatable {
    public var attribute: String
    public var group: String
    /// Rows in the group.
    public var count: Int
    public var metric: String
    public var estimate: MetricEstimate
    public init(attribute: String, group: String, count: Int, metric: String, estimate: MetricEstimate) {
      self.attribute = attribute
      self.group = group
      self.count = count
      self.metric = metric
      self.estimate = estimate
    }
  }

  /// A metric as a perturbation grows, overall (`group` nil) or for one group.
  public struct RobustnessCurve: Codable, Sendable, Equatable {
    public var perturbation: String
    public var group: String?
    public var metric: String
    public var points: [Point]
    public init(perturbation: String, group: String? = nil, metric: String, points: [Point]) {
      self.perturbation = perturbation
      self.group = group
      self.metric = metric
      self.points = points
    }
  }

  /// Counts with rows as true classes and columns as predicted classes.
  public struct Confusion: Codable, Sendable, Equatable {
    public var labels: [String]
    public var counts: [[Int]]
    public init(labels: [String], counts: [[Int]]) {
      self.labels = labels
      self.counts = counts
    }
  }

  /// What rebuilds the model.
  public struct Lineage: Codable, Sendable, Equatable {
    public var runID: String
    public var gitCommit: String?
    public var configurationHash: String
    public var datasetFingerprint: String
    public var checkpointArtifact: String
    public var checkpointSHA256: String?
    public init(runID: String, gitCommit: String?, configurationHash: String, datasetFingerprint: String,
                checkpointArtifact: String, checkpointSHA256: String?) {
      self.runID = runID
      self.gitCommit = gitCommit
      self.configurationHash = configurationHash
      self.datasetFingerprint = datasetFingerprint
      self.checkpointArtifact = checkpointArtifact
      self.checkpointSHA256 = checkpointSHA256
    }

    enum CodingKeys: String, CodingKey {
      case runID = "run_id"
      case gitCommit = "git_commit"
      case configurationHash = "configuration_hash"
      case datasetFingerprint = "dataset_fingerprint"
      case checkpointArtifact = "checkpoint_artifact"
      case checkpointSHA256 = "checkpoint_sha256"
    }
  }

  public var modelName: String
  public var version: Int
  /// When the card was made: the only field allowed to differ between two renders of the same model.
  public var generatedTime: Date
  public var prose: Prose
  /// E.g. "MLP 14 → 64 → 64 → 1, relu, dropout 0.1".
  public var architecture: String
  /// Hyperparameters by dotted key.
  public var hyperparameters: [String: String]
  public var trainingData: [DataDescription]
  public var evaluationData: [DataDescription]
  public var decisionThreshold: Double?
  /// How uncertainty was estimated, e.g. "95% percentile bootstrap, 1000 resamples".
  public var uncertaintyMethod: String
  /// Overall metrics by gate name (`test.accuracy`).
  public var metrics: [String: MetricEstimate]
  /// Every per-group metric a gate can name, empty groups included (count 0).
  public var groupMetrics: [GroupMetric]
  /// The group metrics drawn as bars (nil: all of them).
  public var chartedGroupMetrics: [String]?
  public var learningCurves: [Curve]
  /// ROC curve points (false positive rate, true positive rate).
  public var rocCurve: [Point]
  /// Precision–recall points (recall, precision).
  public var precisionRecallCurve: [Point]
  public var reliability: [ReliabilityBin]
  public var robustness: [RobustnessCurve]
  public var confusion: Confusion?
  public var decision: GateDecision?
  public var lineage: Lineage
  /// `binary`, `multiclass` or `regression`; nil in cards written before other kinds (binary).
  public var labelKind: String?
  /// Regression: (actual, predicted) per row of the evaluation split, thinned.
  public var predictedVersusActual: [Point]?
  /// Regression: (predicted, actual − predicted) per row, thinned.
  public var residuals: [Point]?
  /// The audit log's head when the card was written: an auditor compares it with the log.
  public var auditHead: AuditHead?
  /// Who approved the version's stage, and whether the approval is signed (nil: no approval).
  public var approval: Approval?
  /// Before and after a mitigation (nil: the model is not mitigated).
  public var mitigation: Mitigation?

  /// An approval as the card states it: "ana (signed, Ed25519 SHA256:…)" or "ana (unsigned)".
  public struct Approval: Codable, Sendable, Equatable {
    public var approver: String
    public var signedApproval: SignedApproval?
    public init(approver: String, signedApproval: SignedApproval?) {
      self.approver = approver
      self.signedApproval = signedApproval
    }

    public var isSigned: Bool { signedApproval != nil }

    /// "ana (signed, Ed25519 signature over this version, stage, card and audit head)" or "ana (unsigned)".
    public var summary: String {
      guard let signed = signedApproval else { return "\(approver) (unsigned)" }
      return "\(approver) (signed for \(signed.stage): Ed25519 over v\(signed.version), run \(signed.runID), card sha256 \(signed.modelCardSHA256.prefix(12))…, audit event \(signed.auditHead.sequence))"
    }
  }

  /// Whether the model is a binary classifier (the default for cards that do not say).
  public var isBinary: Bool { labelKind == nil || labelKind == "binary" }

  public init(modelName: String, version: Int, generatedTime: Date, prose: Prose = Prose(), architecture: String,
              hyperparameters: [String: String] = [:], trainingData: [DataDescription] = [], evaluationData: [DataDescription] = [],
              decisionThreshold: Double? = nil, uncertaintyMethod: String = "none (point estimates)",
              metrics: [String: MetricEstimate] = [:], groupMetrics: [GroupMetric] = [], learningCurves: [Curve] = [],
              rocCurve: [Point] = [], precisionRecallCurve: [Point] = [], reliability: [ReliabilityBin] = [],
              robustness: [RobustnessCurve] = [], confusion: Confusion? = nil, decision: GateDecision? = nil, lineage: Lineage) {
    self.modelName = modelName
    self.version = version
    self.generatedTime = generatedTime
    self.prose = prose
    self.architecture = architecture
    self.hyperparameters = hyperparameters
    self.trainingData = trainingData
    self.evaluationData = evaluationData
    self.decisionThreshold = decisionThreshold
    self.uncertaintyMethod = uncertaintyMethod
    self.metrics = metrics
    self.groupMetrics = groupMetrics
    self.learningCurves = learningCurves
    self.rocCurve = rocCurve
    self.precisionRecallCurve = precisionRecallCurve
    self.reliability = reliability
    self.robustness = robustness
    self.confusion = confusion
    self.decision = decision
    self.lineage = lineage
  }

  /// What the model outputs, in words, for the card's metrics section and MCT `output_format`.
  public var outputDescription: String {
    switch labelKind {
    case "regression": return "a predicted value in the target's units"
    case "multiclass": return "class probabilities; the prediction is the most probable class"
    default:
      let threshold = decisionThreshold.map { $0.isNaN ? "n/a" : String(format: "%.4g", $0) } ?? "n/a"
      return "probability of the positive class; decision threshold \(threshold)"
    }
  }

  /// The gate results that concern `metric` (exactly, or the worst match of a wildcard gate).
  func gateResults(for metric: String) -> [GateResult] {
    decision?.results.filter { $0.metric == metric } ?? []
  }
}
