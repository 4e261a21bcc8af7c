import Foundation
import KilnData
import KilnMetrics
import KilnRobustness
import KilnConfiguration
import KilnTraining

/// Everything `kiln evaluate` computed for one run on one split; stored as the run's
/// `evaluation.json` artifact and read back by promotion.
public struct EvaluationResult: Codable, Sendable, Equatable {
  /// The file format, `kiln.evaluation/1`.
  public var format: String
  public var runID: String?
  public var split: String
  public var rowCount: Int
  public var datasetFingerprint: String
  /// What the label is; absent in files written before multi-class and regression models (binary).
  public var labelKind: LabelKind?
  /// The decision threshold and how it was chosen (binary models).
  public var threshold: ThresholdChoice?
  /// Binary performance.
  public var performance: BinaryClassificationReport?
  /// Multi-class performance.
  public var multiclass: MulticlassClassificationReport?
  /// Regression performance.
  public var regression: RegressionReport?
  /// Fairness by group, whatever the label kind.
  public var fairness: FairnessReport?
  /// Robustness under perturbations and attacks, of accuracy or RMSE as the head asks.
  public var robustness: RobustnessReport?
  /// What the evaluation left out, and why (e.g. gradient attacks on a regression model).
  public var notes: [String]?
  /// With group thresholds: what they were and the same model's results without them (before).
  public var mitigation: MitigationOutcome?
  /// Every number under the names gates use (`test.accuracy`,
  /// `fairness.sex.demographic_parity_difference`, `robustness.fgsm_0.05.accuracy`, …), with
  /// intervals and undefined marks.
  public var namedMetrics: [String: MetricEstimate]

  public static let currentFormat = "kiln.evaluation/1"

  /// The label kind (binary when the file does not say).
  public var kind: LabelKind { labelKind ?? .binary }

  public init(format: String = currentFormat, runID: String?, split: String, rowCount: Int, datasetFingerprint: String,
              labelKind: LabelKind? = nil, threshold: ThresholdChoice? = nil, performance: BinaryClassificationReport? = nil,
              multiclass: MulticlassClassificationReport? = nil, regression: RegressionReport? = nil,
              fairness: FairnessReport? = nil, robustness: RobustnessReport? = nil, notes: [String]? = nil, namedMetrics: [String: MetricEstimate]) {
    self.format = format
    self.runID = runID
    self.split = split
    self.rowCount = rowCount
    self.datasetFingerprint = datasetFingerprint
    self.labelKind = labelKind
    self.threshold = threshold
    self.performance = performance
    self.multiclass = multiclass
    self.regression = regression
    self.fairness = fairness
    self.robustness = robustness
    self.notes = notes
    self.namedMetrics = namedMetrics
  }

  enum CodingKeys: String, CodingKey {
    case format, split, threshold, performance, multiclass, regression, fairness, robustness, notes, mitigation
    case runID = "run_id", rowCount = "row_count", datasetFingerprint = "dataset_fingerprint", namedMetrics = "metrics"
    case labelKind = "label_kind"
    /// Where files written before one report type held a multi-class or regression audit.
    case groupedFairness = "grouped_fairness"
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    format = try container.decode(String.self, forKey: .format)
    runID = try container.decodeIfPresent(String.self, forKey: .runID)
    split = try container.decode(String.self, forKey: .split)
    rowCount = try container.decode(Int.self, forKey: .rowCount)
    datasetFingerprint = try container.decode(String.self, forKey: .datasetFingerprint)
    labelKind = try container.decodeIfPresent(LabelKind.self, forKey: .labelKind)
    threshold = try container.decodeIfPresent(ThresholdChoice.self, forKey: .threshold)
    performance = try container.decodeIfPresent(BinaryClassificationReport.self, forKey: .performance)
    multiclass = try container.decodeIfPresent(MulticlassClassificationReport.self, forKey: .multiclass)
    regression = try container.decodeIfPresent(RegressionReport.self, forKey: .regression)
    fairness = try container.decodeIfPresent(FairnessReport.self, forKey: .fairness)
      ?? container.decodeIfPresent(FairnessReport.self, forKey: .groupedFairness)
    // Robustness written before one report type has another shape: its numbers stay in the named metrics.
    robustness = try? container.decodeIfPresent(RobustnessReport.self, forKey: .robustness)
    notes = try container.decodeIfPresent([String].self, forKey: .notes)
    mitigation = try container.decodeIfPresent(MitigationOutcome.self, forKey: .mitigation)
    namedMetrics = try container.decode([String: MetricEstimate].self, forKey: .namedMetrics)
  }

  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(format, forKey: .format)
    try container.encodeIfPresent(runID, forKey: .runID)
    try container.encode(split, forKey: .split)
    try container.encode(rowCount, forKey: .rowCount)
    try container.encode(datasetFingerprint, forKey: .datasetFingerprint)
    try container.encodeIfPresent(labelKind, forKey: .labelKind)
    try container.encodeIfPresent(threshold, forKey: .threshold)
    try container.encodeIfPresent(performance, forKey: .performance)
    try container.encodeIfPresent(multiclass, forKey: .multiclass)
    try container.encodeIfPresent(regression, forKey: .regression)
    try container.encodeIfPresent(fairness, forKey: .fairness)
    try container.encodeIfPresent(robustness, forKey: .robustness)
    try container.encodeIfPresent(notes, forKey: .notes)
    try container.encodeIfPresent(mitigation, forKey: .mitigation)
    try container.encode(namedMetrics, forKey: .namedMetrics)
  }

  /// `evaluation.json` as stored with a run: the type's own coding keys, which `decode` reads
  /// back (a file written by an earlier version stays readable). `kiln evaluate --json` prints
  /// `json()`, the same values in `JSONOutput`'s snake_case form.
  public func storedData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    return try encoder.encode(self)
  }

  /// Decodes an `evaluation.json`.
  /// - Throws: `EvaluationError.invalidConfiguration` when the data is not an evaluation of this format.
  public static func decode(_ data: Data, source: String = "evaluation.json") throws -> EvaluationResult {
    do {
      let result = try JSONDecoder().decode(EvaluationResult.self, from: data)
      guard result.format == currentFormat else {
        throw EvaluationError(.invalidConfiguration, "\(source): format is '\(result.format)', expected '\(currentFormat)'",
                              hint: "re-run `kiln evaluate` with this version of Kiln")
      }
      return result
    } catch let error as DecodingError {
      throw EvaluationError(.invalidConfiguration, "\(source): not a Kiln evaluation (\(error))",
                            hint: "the file is written by `kiln evaluate --run RUN_ID`")
    }
  }

  /// The named metrics of an `evaluation.json`, with their intervals and undefined marks.
  public static func namedMetrics(fromJSON data: Data, source: String = "evaluation.json") throws -> [String: MetricEstimate] {
    try decode(data, source: source).namedMetrics
  }
}
