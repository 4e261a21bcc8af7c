import Foundation
import KilnMetrics
import KilnRobustness

/// Everything `kiln evaluate` computed for one run on one split; stored as the run's
/// `evaluation.json` artifact and read back by promotion.
public struct EvaluationResult: Codable, Sendable, Equatable {
  /// The file format, `kiln.evaluation/1`.
  public var format: String
  public var runID: String?
  public var split: String
  public var rowCount: Int
  public var datasetFingerprint: String
  /// The decision threshold and how it was chosen.
  public var threshold: ThresholdChoice
  public var performance: BinaryClassificationReport
  public var fairness: FairnessReport?
  public var robustness: RobustnessReport?
  /// Every number under the names gates use (`test.accuracy`,
  /// `fairness.sex.demographic_parity_difference`, `robustness.fgsm_0.05.accuracy`, …), with
  /// intervals and undefined marks.
  public var namedMetrics: [String: MetricEstimate]

  public static let currentFormat = "kiln.evaluation/1"

  enum CodingKeys: String, CodingKey {
    case format, split, threshold, performance, fairness, robustness
    case runID = "run_id", rowCount = "row_count", datasetFingerprint = "dataset_fingerprint", namedMetrics = "metrics"
  }

  /// The result as JSON (sorted keys, NaN as null).
  public func jsonData() throws -> Data {
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
