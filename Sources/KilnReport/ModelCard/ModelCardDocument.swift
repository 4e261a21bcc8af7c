import Foundation
import KilnMetrics
import KilnTracking

/// The card in Model Card Toolkit's JSON field names (schema v0.0.2: `model_details`,
/// `model_parameters`, `quantitative_analysis.performance_metrics[].confidence_interval`,
/// `considerations`), so MCT's tools can read it. MCT stores metric values as strings.
///
/// The document validates against MCT's schema v0.0.2 (`Tests/Fixtures/model-card-toolkit/`),
/// which forbids keys of its own at the top level but allows them inside its objects. Kiln's
/// additions sit there: each performance metric's gate `threshold` and `passed`,
/// `quantitative_analysis.gate_decision`, and `model_details.audit_head` and `.approval`.
public struct ModelCardDocument: Codable, Equatable, Sendable {
  public struct Owner: Codable, Equatable, Sendable { public var name: String; public var contact: String? }
  public struct Version: Codable, Equatable, Sendable { public var name: String; public var date: String }
  public struct License: Codable, Equatable, Sendable {
    public var customText: String
    enum CodingKeys: String, CodingKey { case customText = "custom_text" }
  }
  public struct Reference: Codable, Equatable, Sendable { public var reference: String }
  public struct Approval: Codable, Equatable, Sendable { public var approver: String; public var signed: Bool }
  public struct ModelDetails: Codable, Equatable, Sendable {
    public var name: String
    public var overview: String
    public var owners: [Owner]
    public var version: Version
    public var licenses: [License]
    public var references: [Reference]
    public var path: String
    /// Kiln's extension: the audit log's head when the card was written.
    public var auditHead: AuditHead?
    /// Kiln's extension: who approved the version's stage, and whether the approval is signed.
    public var approval: Approval?
    enum CodingKeys: String, CodingKey {
      case name, overview, owners, version, licenses, references, path, approval
      case auditHead = "audit_head"
    }
  }
  public struct Dataset: Codable, Equatable, Sendable {
    public var name: String
    public var description: String
  }
  public struct ModelParameters: Codable, Equatable, Sendable {
    public var modelArchitecture: String
    public var data: [Dataset]
    public var inputFormat: String
    public var outputFormat: String
    enum CodingKeys: String, CodingKey {
      case data
      case modelArchitecture = "model_architecture"
      case inputFormat = "input_format"
      case outputFormat = "output_format"
    }
  }
  public struct Interval: Codable, Equatable, Sendable {
    public var lowerBound: String
    public var upperBound: String
    enum CodingKeys: String, CodingKey {
      case lowerBound = "lower_bound"
      case upperBound = "upper_bound"
    }
  }
  public struct PerformanceMetric: Codable, Equatable, Sendable {
    public var type: String
    public var value: String
    public var slice: String
    public var confidenceInterval: Interval?
    /// Kiln's extension: the threshold of the gate on this metric, if any.
    public var threshold: Double?
    /// Kiln's extension: whether the gate on this metric passed.
    public var passed: Bool?
    enum CodingKeys: String, CodingKey {
      case type, value, slice, threshold, passed
      case confidenceInterval = "confidence_interval"
    }
  }
  /// Kiln's extension: what a mitigation changed. The metrics before it are also among the
  /// performance metrics, their slice prefixed `before mitigation: `.
  public struct Mitigation: Codable, Equatable, Sendable {
    public var summary: String
    public var accuracyMetric: String
    public var disparityMetric: String
    enum CodingKeys: String, CodingKey {
      case summary
      case accuracyMetric = "accuracy_metric"
      case disparityMetric = "disparity_metric"
    }
  }
  public struct QuantitativeAnalysis: Codable, Equatable, Sendable {
    public var performanceMetrics: [PerformanceMetric]
    /// Kiln's extension: `promote` or `reject`, when gates ran.
    public var gateDecision: String?
    /// Kiln's extension: the mitigation, when the model is mitigated.
    public var mitigation: Mitigation?
    enum CodingKeys: String, CodingKey {
      case mitigation
      case performanceMetrics = "performance_metrics"
      case gateDecision = "gate_decision"
    }
  }
  public struct Description: Codable, Equatable, Sendable { public var description: String }
  public struct Risk: Codable, Equatable, Sendable {
    public var name: String
    public var mitigationStrategy: String
    enum CodingKeys: String, CodingKey {
      case name
      case mitigationStrategy = "mitigation_strategy"
    }
  }
  public struct Considerations: Codable, Equatable, Sendable {
    public var users: [Description]
    public var useCases: [Description]
    public var limitations: [Description]
    public var ethicalConsiderations: [Risk]
    enum CodingKeys: String, CodingKey {
      case users, limitations
      case useCases = "use_cases"
      case ethicalConsiderations = "ethical_considerations"
    }
  }

  /// The MCT schema version the document follows.
  public var schemaVersion = ModelCardDocument.mctSchemaVersion
  public var modelDetails: ModelDetails
  public var modelParameters: ModelParameters
  public var quantitativeAnalysis: QuantitativeAnalysis
  public var considerations: Considerations

  public static let mctSchemaVersion = "0.0.2"

  enum CodingKeys: String, CodingKey {
    case considerations
    case schemaVersion = "schema_version"
    case modelDetails = "model_details"
    case modelParameters = "model_parameters"
    case quantitativeAnalysis = "quantitative_analysis"
  }
}

extension ModelCardRenderer {
  /// The card as Model Card Toolkit fields (see `ModelCardDocument`).
  public static func document(_ input: ModelCardInput) -> ModelCardDocument {
    func text(_ value: Double) -> String { value.isNaN ? "NaN" : String(value) }
    func metric(_ type: String, _ slice: String, _ estimate: MetricEstimate, gates: [GateResult]) -> ModelCardDocument.PerformanceMetric {
      let interval = shownInterval(estimate).map { ModelCardDocument.Interval(lowerBound: text($0.lower), upperBound: text($0.upper)) }
      return ModelCardDocument.PerformanceMetric(
        type: type, value: estimate.undefined.map { "undefined: \($0.explanation)" } ?? text(estimate.value), slice: slice,
        confidenceInterval: interval, threshold: gates.first?.threshold,
        passed: gates.isEmpty ? nil : gates.allSatisfy { $0.outcome == .pass })
    }
    var metrics = input.metrics.keys.sorted().map { metric($0, "overall", input.metrics[$0]!, gates: input.gateResults(for: $0)) }
    metrics += sortedGroups(input).map { metric($0.metric, "\($0.attribute)=\($0.group) (n=\($0.count))", $0.estimate, gates: []) }
    // The unmitigated model's values: the "after" ones are the card's own metrics above.
    metrics += ((input.mitigation?.overall ?? []) + (input.mitigation?.byGroup ?? [])).map {
      metric($0.metric, "before mitigation: " + ($0.group ?? "overall"), $0.before, gates: [])
    }
    let data = (input.trainingData + input.evaluationData).map {
      ModelCardDocument.Dataset(name: "\($0.name) (\($0.split))",
                                description: [$0.rows.map { "\($0) rows" }, $0.fingerprint.map { "fingerprint \($0)" }]
                                  .compactMap { $0 }.joined(separator: ", "))
    }
    let prose = input.prose
    return ModelCardDocument(
      modelDetails: .init(name: input.modelName, overview: prose.overview, owners: prose.owners.map { .init(name: $0, contact: nil) },
                          version: .init(name: "v\(input.version)", date: date(input.generatedTime)),
                          licenses: prose.license.map { [.init(customText: $0)] } ?? [],
                          references: prose.references.map { .init(reference: $0) }, path: input.lineage.checkpointArtifact,
                          auditHead: input.auditHead,
                          approval: input.approval.map { .init(approver: $0.approver, signed: $0.isSigned) }),
      modelParameters: .init(modelArchitecture: input.architecture, data: data, inputFormat: "standardised feature vector (float32)",
                             outputFormat: input.isBinary ? "probability of the positive class; decision threshold \(format(input.decisionThreshold))"
                               : input.outputDescription),
      quantitativeAnalysis: .init(performanceMetrics: metrics, gateDecision: input.decision?.verdict.rawValue,
                                  mitigation: input.mitigation.map { .init(summary: $0.summary, accuracyMetric: $0.accuracyMetric,
                                                                           disparityMetric: $0.disparityMetric) }),
      considerations: .init(users: prose.intendedUsers.map { .init(description: $0) },
                            useCases: prose.intendedUses.map { .init(description: $0) },
                            limitations: (prose.outOfScopeUses + prose.caveats).map { .init(description: $0) },
                            ethicalConsiderations: prose.ethicalConsiderations.map { .init(name: $0.name, mitigationStrategy: $0.mitigation) }
                              + (input.mitigation.map { [mitigationRisk($0)] } ?? [])))
  }

  /// The disparity the mitigation addressed, as a risk whose strategy is the mitigation, with the
  /// disparity and the accuracy before and after.
  static func mitigationRisk(_ mitigation: ModelCardInput.Mitigation) -> ModelCardDocument.Risk {
    func change(_ metric: String) -> String? {
      mitigation.overall.first { $0.metric == metric && $0.group == nil }.map {
        "\(metric) \(format($0.before.value)) before, \(format($0.after.value)) after"
      }
    }
    let figures = [change(mitigation.disparityMetric), change(mitigation.accuracyMetric)].compactMap { $0 }
    return .init(name: "Disparity in \(mitigation.disparityMetric)",
                 mitigationStrategy: mitigation.summary + (figures.isEmpty ? "" : " (" + figures.joined(separator: "; ") + ")"))
  }

  /// `document(input)` as pretty JSON with sorted keys.
  public static func json(_ input: ModelCardInput) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Plain strings, numbers and booleans always encode.
    return String(decoding: try! encoder.encode(document(input)), as: UTF8.self) + "\n"
  }
}
