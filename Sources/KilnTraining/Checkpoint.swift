import KilnTensor
import Foundation
import KilnData
import KilnHDF5
import KilnOptim
import KilnConfiguration
import KilnMetrics

/// A training checkpoint in HDF5, readable by h5py and h5dump:
///
/// ```
/// /                         attrs: format="kiln.checkpoint/1", run_id, dataset_fingerprint,
///                                  configuration (canonical JSON), optimizer, training_state (JSON),
///                                  label_kind (binary | multiclass | regression), class_count,
///                                  target_mean and target_scale (regression: the train-split
///                                  statistics that standardised the targets), group_thresholds
///                                  (JSON, with `mitigation.thresholds`: the per-group decision rules),
///                                  reduction_mixture (JSON, with `mitigation.reductions` and
///                                  `predictor: mixture`: the hypotheses and weights; the members
///                                  are `mixture-K.h5` beside it)
/// /parameters/PATH          float32, the parameter's shape (PATH is the dotted path, e.g. layers.0.weight)
/// /optimizer/PATH/NAME      float32 optimizer state (first_moment, second_moment, velocity, …)
/// /optimizer_counters       int64 [K], attr names [K] (e.g. Adam's per-parameter step)
/// /generator/dropout        int64 [4], the dropout generator's xoshiro256** state (bit patterns)
/// ```
/// Files are written to a temporary file and renamed, so a reader never sees half a checkpoint.
public struct Checkpoint {
  public static let format = "kiln.checkpoint/1"

  /// Where training stands, and what a resumed run needs besides weights and optimizer state.
  public struct TrainingState: Codable, Equatable, Sendable {
    /// Epochs completed.
    public var epoch: Int
    /// Optimizer steps taken within the current (incomplete) epoch; 0 at an epoch boundary.
    public var stepInEpoch: Int
    public var globalStep: Int
    public var learningRate: Double
    /// The best selection-metric value so far and the epoch it came from.
    public var bestMetric: Double?
    public var bestEpoch: Int?
    /// Early stopping: the best watched value, its epoch, and epochs since an improvement.
    public var earlyStoppingBest: Double?
    public var earlyStoppingEpoch: Int?
    public var earlyStoppingWait: Int?
    /// Reduce-on-plateau state.
    public var plateauBest: Double?
    public var plateauBadEvaluations: Int?
    /// Sum of training losses and steps of the current epoch, so its mean loss is exact after resume.
    public var epochLossSum: Double

    public init(epoch: Int, stepInEpoch: Int, globalStep: Int, learningRate: Double, epochLossSum: Double = 0) {
      self.epoch = epoch
      self.stepInEpoch = stepInEpoch
      self.globalStep = globalStep
      self.learningRate = learningRate
      self.epochLossSum = epochLossSum
    }
  }

  public var parameters: [(path: String, value: Tensor)]
  public var optimizerKind: String
  public var optimizerTensors: [String: Tensor]
  public var optimizerCounters: [String: Int]
  public var state: TrainingState
  public var configurationJSON: String
  public var datasetFingerprint: String
  public var runID: String
  /// The output head; `nil` in checkpoints written before label kinds (a binary or multiclass
  /// classifier, told apart by the last layer's width).
  public var head: ModelHead?
  /// Group-specific decision thresholds fitted after training (`mitigation.thresholds`).
  public var groupThresholds: GroupThresholds?
  /// A reduction's randomized mixture (`mitigation.reductions`, `predictor: mixture`).
  public var reductionMixture: ReductionMixture?

  public init(parameters: [(path: String, value: Tensor)], optimizerKind: String, optimizerTensors: [String: Tensor],
              optimizerCounters: [String: Int], state: TrainingState,
              configurationJSON: String, datasetFingerprint: String, runID: String, head: ModelHead? = nil) {
    self.parameters = parameters
    self.optimizerKind = optimizerKind
    self.optimizerTensors = optimizerTensors
    self.optimizerCounters = optimizerCounters
    self.state = state
    self.configurationJSON = configurationJSON
    self.datasetFingerprint = datasetFingerprint
    self.runID = runID
    self.head = head
  }

  /// Writes the checkpoint atomically to `url`, creating its directory.
  public func write(to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let stateJSON = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
    try HDF5File.writeAtomically(to: url) { root in
      try root.setAttribute("format", Checkpoint.format)
      try root.setAttribute("run_id", runID)
      try root.setAttribute("dataset_fingerprint", datasetFingerprint)
      try root.setAttribute("configuration", configurationJSON)
      try root.setAttribute("optimizer", optimizerKind)
      try root.setAttribute("training_state", stateJSON)
      if let head {
        try root.setAttribute("label_kind", head.labelKind.rawValue)
        try root.setAttribute("class_count", head.classCount)
        if case .regression(let mean, let scale) = head {
          try root.setAttribute("target_mean", mean)
          try root.setAttribute("target_scale", scale)
        }
      }
      if let groupThresholds {
        try root.setAttribute("group_thresholds", String(decoding: try JSONEncoder().encode(groupThresholds), as: UTF8.self))
      }
      if let reductionMixture {
        try root.setAttribute("reduction_mixture", String(decoding: try JSONEncoder().encode(reductionMixture), as: UTF8.self))
      }
      let parameterGroup = try root.createGroup("parameters")
      for (path, value) in parameters {
        _ = try parameterGroup.createDataset(path, values: value.scalars, shape: value.shape)
      }
      let optimizerGroup = try root.createGroup("optimizer")
      for (name, value) in optimizerTensors.sorted(by: { $0.key < $1.key }) {
        let parts = name.split(separator: "/").map(String.init)
        let group = try optimizerGroup.group(creatingIntermediates: parts.dropLast().joined(separator: "/"))
        _ = try group.createDataset(parts.last!, values: value.scalars, shape: value.shape)
      }
      let counters = optimizerCounters.sorted { $0.key < $1.key }
      let counterSet = try root.createDataset("optimizer_counters", values: counters.map { Int64($0.value) })
      try counterSet.setAttribute("names", counters.map(\.key))
    }
  }

  /// Reads a checkpoint, checking its format.
  public static func read(from url: URL) throws -> Checkpoint {
    guard FileManager.default.fileExists(atPath: url.path) else {
      throw TrainingError(.checkpoint, "\(url.path): no such checkpoint", hint: "check the run id with `kiln runs show`")
    }
    let file = try HDF5File.open(url)
    defer { try? file.close() }
    let root = try file.root
    let format = (try? root.stringAttribute("format")) ?? "(none)"
    guard format == Checkpoint.format else {
      throw TrainingError(.checkpoint, "\(url.path): format is `\(format)`, expected `\(Checkpoint.format)`",
                          hint: "this file is not a Kiln checkpoint")
    }
    let state = try JSONDecoder().decode(TrainingState.self, from: Data(try root.stringAttribute("training_state").utf8))
    let parameterGroup = try root.group("parameters")
    // HDF5 lists names alphabetically; parameter order is restored by the model's own paths.
    var parameters: [(path: String, value: Tensor)] = []
    for name in try parameterGroup.childNames() {
      let dataset = try parameterGroup.dataset(name)
      parameters.append((name, Tensor(shape: try dataset.shape, scalars: try dataset.read(as: Float.self))))
    }
    var optimizerTensors: [String: Tensor] = [:]
    func collect(_ group: HDF5Group, prefix: String) throws {
      for name in try group.childNames() {
        let path = prefix.isEmpty ? name : "\(prefix)/\(name)"
        if group.isGroup(name) {
          try collect(try group.group(name), prefix: path)
        } else {
          let dataset = try group.dataset(name)
          optimizerTensors[path] = Tensor(shape: try dataset.shape, scalars: try dataset.read(as: Float.self))
        }
      }
    }
    try collect(try root.group("optimizer"), prefix: "")
    let counterSet = try root.dataset("optimizer_counters")
    let counterNames = try counterSet.stringArrayAttribute("names")
    let counterValues = try counterSet.read(as: Int64.self)
    var counters: [String: Int] = [:]
    for (name, value) in zip(counterNames, counterValues) { counters[name] = Int(value) }
    func decoded<T: Decodable>(_ type: T.Type, attribute: String, what: String) throws -> T? {
      guard root.hasAttribute(attribute) else { return nil }
      do {
        return try JSONDecoder().decode(T.self, from: Data(try root.stringAttribute(attribute).utf8))
      } catch {
        throw TrainingError(.checkpoint, "\(url.path): the stored \(what) do not decode: \(error)",
                            hint: "the checkpoint is damaged or was written by an incompatible version of Kiln")
      }
    }
    let groupThresholds = try decoded(GroupThresholds.self, attribute: "group_thresholds", what: "group thresholds")
    let reductionMixture = try decoded(ReductionMixture.self, attribute: "reduction_mixture", what: "reduction mixture weights")
    var checkpoint = Checkpoint(parameters: parameters, optimizerKind: try root.stringAttribute("optimizer"),
                      optimizerTensors: optimizerTensors, optimizerCounters: counters, state: state,
                      configurationJSON: try root.stringAttribute("configuration"),
                      datasetFingerprint: try root.stringAttribute("dataset_fingerprint"), runID: try root.stringAttribute("run_id"),
                      head: try readHead(root, url: url))
    checkpoint.groupThresholds = groupThresholds
    checkpoint.reductionMixture = reductionMixture
    return checkpoint
  }

  private static func readHead(_ root: HDF5Group, url: URL) throws -> ModelHead? {
    guard root.hasAttribute("label_kind") else { return nil }
    let text = try root.stringAttribute("label_kind")
    switch LabelKind(rawValue: text) {
    case .binary: return .binary
    case .multiclass: return .multiclass(classCount: try root.integerAttribute("class_count"))
    case .regression: return .regression(mean: try root.doubleAttribute("target_mean"), scale: try root.doubleAttribute("target_scale"))
    case nil:
      throw TrainingError(.checkpoint, "\(url.path): label_kind is `\(text)`, expected binary, multiclass or regression",
                          hint: "the checkpoint was written by an incompatible version of Kiln")
    }
  }
}
