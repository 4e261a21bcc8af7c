import Foundation
import KilnMetrics
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// What `kiln promote` is asked to do.
public struct PromotionRequest: Sendable {
  public var runID: String
  public var model: String
  public var target: ModelStage
  public var approvedBy: String?
  /// Override failing gates; needs `reason`.
  public var force: Bool
  public var reason: String?
  /// A signed approval written by `kiln approve`.
  public var approvalFile: URL?
  /// The approver's private key, to sign the approval here.
  public var signingKeyFile: URL?

  public init(runID: String, model: String, target: ModelStage = .staging, approvedBy: String? = nil, force: Bool = false, reason: String? = nil,
              approvalFile: URL? = nil, signingKeyFile: URL? = nil) {
    self.runID = runID
    self.model = model
    self.target = target
    self.approvedBy = approvedBy
    self.force = force
    self.reason = reason
    self.approvalFile = approvalFile
    self.signingKeyFile = signingKeyFile
  }
}

/// What a promotion did.
public struct PromotionOutcome: Sendable {
  public var version: ModelVersionRecord
  public var gateReport: GateReport
  public var record: PromotionRecord
  /// The report files written under `reports/MODEL/vN/`.
  public var reportFiles: [URL]
}

/// The promotion logic behind `kiln promote`, `kiln models` and the pipeline: gates, the
/// registry, governance, and the reports.
public enum PromotionWorkflow {
  /// The experiment configuration a run was started with.
  static func configuration(of run: RunRecord) throws -> ExperimentConfiguration {
    // Runs store the canonical JSON of their configuration; JSON is YAML, so the strict
    // experiment-file parser reads it with the same checks.
    do {
      return try ExperimentConfiguration.parse(run.configurationText, file: "configuration of run \(run.id)")
    } catch {
      throw PromotionError(.incompleteLineage, "run \(run.id) has no Kiln experiment configuration to read its gates from",
                           hint: "promote runs made by `kiln train` or `kiln pipeline`")
    }
  }

  /// The version of `model` registered from `run`, registering it (stage `none`) when there is none.
  static func version(of run: RunRecord, model: String, tracker: Tracker, registry: any ModelRegistryStore) throws -> ModelVersionRecord {
    if let existing = try registry.modelVersions(runID: run.id).last(where: { $0.modelName == model }) { return existing }
    let artifacts = try tracker.store.artifacts(runID: run.id)
    guard let checkpoint = artifacts.first(where: { $0.name == "model/checkpoint.h5" }) ?? artifacts.first(where: { $0.name.hasSuffix(".h5") }) else {
      throw PromotionError(.incompleteLineage, "run \(run.id) logged no checkpoint artifact (model/checkpoint.h5)",
                           hint: "only runs that finished training can be registered; see `kiln runs show \(run.id)`")
    }
    guard let fingerprint = try tracker.store.datasetInputs(runID: run.id).first?.fingerprint else {
      throw PromotionError(.incompleteLineage, "run \(run.id) recorded no dataset input, so its data lineage is unknown",
                           hint: "train with `kiln train`, which records the dataset fingerprint")
    }
    let draft = ModelVersionDraft(modelName: model, runID: run.id, checkpointArtifact: checkpoint.name, checkpointSHA256: checkpoint.sha256,
                                  datasetFingerprint: fingerprint, gitCommit: run.sourceVersion?.commit,
                                  configurationHash: run.configurationHash)
    return try registry.registerModelVersion(draft, at: tracker.clock())
  }

  /// Checks that `approver` may approve `model` for production under the project's policy.
  /// - Returns: the policy.
  static func checkApproval(_ approver: String?, model: String, layout: ProjectLayout) throws -> GovernancePolicy {
    let file = layout.experimentsDirectory.appendingPathComponent(GovernancePolicy.fileName)
    guard let approver, !approver.isEmpty else {
      throw PromotionError(.approvalRequired, "promotion of \(model) to production needs an approver",
                           hint: "pass --approved-by NAME, a person listed in experiments/\(GovernancePolicy.fileName)")
    }
    guard FileManager.default.fileExists(atPath: file.path) else {
      throw PromotionError(.approvalRequired, "no governance policy at \(file.path): nobody may approve production",
                           hint: "write it with `production: {approvers: [\(approver)]}`")
    }
    let policy = try GovernancePolicy.load(file: file)
    let allowed = policy.productionApprovers(model: model)
    guard allowed.contains(approver) else {
      throw PromotionError(.approvalRequired, "'\(approver)' may not approve \(model) for production",
                           hint: allowed.isEmpty ? "the governance policy lists no approvers for \(model)"
                             : "approvers for \(model): \(allowed.joined(separator: ", "))")
    }
    return policy
  }

  /// Gates, registers and moves a run's model to `request.target`, then writes its reports.
  ///
  /// Refuses (throwing `PromotionError`) when a blocking gate fails without `--force --reason`,
  /// when production lacks a policy-listed approver, or when its approval is signed and does not
  /// verify (or is unsigned where the policy requires a signature). The gate evaluation is audited either way.
  public static func promote(_ request: PromotionRequest, layout: ProjectLayout, card: ModelCardInput? = nil) throws -> PromotionOutcome {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let registry = tracker.store
    let run = try tracker.run(id: request.runID)
    let configuration = try configuration(of: run)
    if request.force, (request.reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
      throw PromotionError(.overrideNeedsReason, "--force overrides the gates only with a reason",
                           hint: "add --reason \"why this model may ship despite its gates\"")
    }
    var approver = request.approvedBy
    if approver == nil, let file = request.approvalFile { approver = try loadApproval(file: file).approver }
    var policy: GovernancePolicy?
    if request.target == .production { policy = try checkApproval(approver, model: request.model, layout: layout) }
    guard request.target == .staging || request.target == .production else {
      throw PromotionError(.invalidStage, "promote moves a model to staging or production, not \(request.target.rawValue)",
                           hint: "use --to staging or --to production")
    }
    let report = try gateReport(run: run, configuration: configuration, model: request.model, tracker: tracker,
                                registry: registry, rejectWithoutGates: request.force)
    try auditGates(report, run: run, model: request.model, tracker: tracker)
    let overridden = report.decision.verdict == .reject
    if overridden && !request.force {
      throw PromotionError(.gatesFailed, "\(request.model): the gates REJECT run \(run.id)\n" + gateTable(report.decision),
                           hint: "fix the model, or override with --force --reason \"…\" (recorded in the audit log)")
    }
    try checkReportsWritable(model: request.model, layout: layout)
    var signedApproval: SignedApproval?
    if let policy, let approver {
      signedApproval = try checkedApproval(request, approver: approver, policy: policy, run: run, tracker: tracker, registry: registry, layout: layout)
    }
    var version = try version(of: run, model: request.model, tracker: tracker, registry: registry)
    if version.stage != request.target {
      let details: [String: JSONValue] = ["gate_verdict": .string(report.decision.verdict.rawValue), "evidence": .string(report.evidence)]
      version = try registry.changeStage(model: request.model, version: version.version,
                                         StageChangeRequest(target: request.target, approver: approver,
                                                            overrideReason: overridden ? request.reason : nil, details: details,
                                                            signedApproval: signedApproval),
                                         at: tracker.clock())
    }
    let approval = approver.map { ModelCardInput.Approval(approver: $0, signedApproval: signedApproval) }
    let (record, files) = try writeReports(version: version, report: report, run: run, configuration: configuration,
                                           approval: approval, overrideReason: overridden ? request.reason : nil,
                                           card: card, tracker: tracker, layout: layout)
    return PromotionOutcome(version: version, gateReport: report, record: record, reportFiles: files)
  }

  /// The pipeline's step: gates the run, registers its model version whatever the verdict, moves
  /// it to `stageOnPass` only when the gates pass, and writes the reports.
  public static func registerAndGate(runID: String, model: String, stageOnPass: ModelStage = .staging, card: ModelCardInput?,
                                     layout: ProjectLayout) throws -> PromotionOutcome {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let registry = tracker.store
    let run = try tracker.run(id: runID)
    let configuration = try configuration(of: run)
    let report = try gateReport(run: run, configuration: configuration, model: model, tracker: tracker, registry: registry,
                                rejectWithoutGates: true)
    try auditGates(report, run: run, model: model, tracker: tracker)
    // Register only where the reports can follow, and first finish any version an earlier run
    // registered but did not live to report.
    try checkReportsWritable(model: model, layout: layout)
    try finishUnreportedVersions(model: model, tracker: tracker, registry: registry, layout: layout)
    var version = try version(of: run, model: model, tracker: tracker, registry: registry)
    if report.decision.verdict == .promote, version.stage.canMove(to: stageOnPass) {
      let details: [String: JSONValue] = ["gate_verdict": .string(report.decision.verdict.rawValue), "evidence": .string(report.evidence)]
      version = try registry.changeStage(model: model, version: version.version, StageChangeRequest(target: stageOnPass, details: details),
                                         at: tracker.clock())
    }
    let (record, files) = try writeReports(version: version, report: report, run: run, configuration: configuration, approval: nil,
                                           overrideReason: nil, card: card, tracker: tracker, layout: layout)
    return PromotionOutcome(version: version, gateReport: report, record: record, reportFiles: files)
  }

  /// Appends a `gate.evaluated` event with every gate's outcome.
  static func auditGates(_ report: GateReport, run: RunRecord, model: String, tracker: Tracker) throws {
    let results: [JSONValue] = report.decision.results.map { result in
      .object(["gate": .string(result.gate.summary), "metric": .string(result.metric),
               "observed": result.observed.map { .number($0) } ?? .null, "outcome": .string(result.outcome.rawValue)])
    }
    var payload: [String: JSONValue] = ["model": .string(model), "verdict": .string(report.decision.verdict.rawValue),
                                        "results": .array(results), "evidence": .string(report.evidence)]
    if let champion = report.champion { payload["champion_version"] = .number(Double(champion.version)) }
    try tracker.store.appendAuditEvent(kind: .gateEvaluated, runID: run.id, payload: .object(payload), at: tracker.clock())
  }

  /// The gate results as a plain-text table.
  public static func gateTable(_ decision: GateDecision) -> String {
    var table = TextTable(header: ["outcome", "gate", "detail"])
    for result in decision.results {
      table.append([result.outcome == .pass ? "pass" : (result.gate.severity == .warn ? "WARN" : "FAIL"), result.gate.summary, result.reason])
    }
    return table.rendered()
  }
}
