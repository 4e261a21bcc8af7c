import KilnCrypto
import Foundation
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension PromotionWorkflow {
  /// `reports/MODEL/vN/model-card.json`: the card an approver reviews, whose hash an approval signs.
  static func reviewedCard(model: String, version: Int, layout: ProjectLayout) -> URL {
    ReportWriter.directory(reportsDirectory: layout.reportsDirectory, model: model, version: version)
      .appendingPathComponent("model-card.json")
  }

  /// `kiln approve`: signs `approver`'s approval of a registered version for `stage` with the
  /// private key in `keyFile` (outside `.kiln/`), over the card now in `reports/MODEL/vN/` and the
  /// log's current head, and writes it to `output` (default `reports/MODEL/vN/approval-STAGE-APPROVER.json`).
  /// - Returns: the file written and the approval.
  public static func approve(_ reference: ModelReference, stage: ModelStage, approver: String, keyFile: URL, output: URL?,
                             layout: ProjectLayout) throws -> (URL, SignedApproval) {
    let tracker = try Tracker(layout: layout, mustExist: true)
    let version = try reference.resolve(in: tracker.store)
    let key = try SigningKeys.loadPrivateKey(file: keyFile, storeDirectory: layout.storeDirectory)
    let approval = try statement(version: version, stage: stage, approver: approver, tracker: tracker, layout: layout).signed(with: key)
    let file = output ?? ReportWriter.directory(reportsDirectory: layout.reportsDirectory, model: version.modelName, version: version.version)
      .appendingPathComponent("approval-\(stage.rawValue)-\(approver).json")
    try ReportWriter.writeAtomically(approval.json(), to: file)
    return (file, approval)
  }

  /// Reads an approval file written by `kiln approve`.
  static func loadApproval(file: URL) throws -> SignedApproval {
    guard let data = try? Data(contentsOf: file) else {
      throw PromotionError(.approvalRequired, "cannot read the approval file \(file.path)", hint: "write it with `kiln approve MODEL:VERSION --as NAME --key FILE`")
    }
    do {
      return try JSONDecoder().decode(SignedApproval.self, from: data)
    } catch {
      throw PromotionError(.approvalRequired, "\(file.path) is not an approval written by `kiln approve`: \(error)",
                           hint: "sign a new one with `kiln approve MODEL:VERSION --as NAME --key FILE`")
    }
  }

  /// The unsigned approval of `version` for `stage` as things stand: the card on disk, the log's head.
  static func statement(version: ModelVersionRecord, stage: ModelStage, approver: String, tracker: Tracker,
                        layout: ProjectLayout) throws -> SignedApproval {
    let card = reviewedCard(model: version.modelName, version: version.version, layout: layout)
    guard let data = try? Data(contentsOf: card) else {
      throw PromotionError(.approvalRequired, "\(version.modelName) v\(version.version) has no model card at \(card.path) to approve",
                           hint: "stage it first (`kiln promote RUN_ID --model \(version.modelName)`), review its card, then approve")
    }
    let hash = SHA256.hexDigest(data)
    return SignedApproval(model: version.modelName, version: version.version, runID: version.runID, stage: stage.rawValue,
                          modelCardSHA256: hash, auditHead: try tracker.auditHead(), approver: approver)
  }

  /// The signed approval a production promotion carries, checked; nil for an unsigned approval
  /// the policy allows.
  ///
  /// The approval comes from `request.approvalFile` (made by `kiln approve`) or is signed here
  /// with `request.signingKeyFile`. It must verify with the approver's key in the policy and name
  /// this model, version, run and stage, the card now on disk, and a head the log still holds.
  /// - Throws: `PromotionError(.approvalRequired)` saying which of these fails.
  static func checkedApproval(_ request: PromotionRequest, approver: String, policy: GovernancePolicy, run: RunRecord,
                              tracker: Tracker, registry: any ModelRegistryStore, layout: ProjectLayout) throws -> SignedApproval? {
    let loaded = try request.approvalFile.map(loadApproval(file:))
    let keyFile = request.signingKeyFile
    guard loaded != nil || keyFile != nil else {
      guard !policy.requiresSignedApprovals(model: request.model) else {
        throw PromotionError(.approvalRequired, "the governance policy requires a signed approval to put \(request.model) in production",
                             hint: "sign with --key FILE (the approver's private key), or pass --approval FILE from `kiln approve`")
      }
      return nil
    }
    guard let version = try registry.modelVersions(runID: run.id).last(where: { $0.modelName == request.model }) else {
      throw PromotionError(.approvalRequired, "run \(run.id) has no registered version of \(request.model) with a model card to approve",
                           hint: "stage it first (`kiln promote \(run.id) --model \(request.model)`), review its card, then approve")
    }
    let expected = try statement(version: version, stage: request.target, approver: approver, tracker: tracker, layout: layout)
    var approval = expected
    if let loaded {
      approval = loaded
    } else if let keyFile {
      approval = try expected.signed(with: try SigningKeys.loadPrivateKey(file: keyFile, storeDirectory: layout.storeDirectory))
    }
    try check(approval, expected: expected, policy: policy, tracker: tracker)
    return approval
  }

  /// Checks `approval` against the policy's key for its approver and against `expected`.
  static func check(_ approval: SignedApproval, expected: SignedApproval, policy: GovernancePolicy, tracker: Tracker) throws {
    func refused(_ message: String, _ hint: String) -> PromotionError { PromotionError(.approvalRequired, message, hint: hint) }
    guard approval.approver == expected.approver else {
      throw refused("the approval is signed by '\(approval.approver)', but the promotion names '\(expected.approver)'",
                    "pass --approved-by \(approval.approver), or an approval signed by \(expected.approver)")
    }
    guard let key = policy.publicKey(approver: approval.approver) else {
      throw refused("governance.yaml lists no key for '\(approval.approver)' under approver_keys, so the approval cannot be checked",
                    "add the approver's public key (the last line of `kiln keys generate`) to approver_keys")
    }
    guard approval.isSigned(by: key) else {
      throw refused("the approval of \(approval.model) v\(approval.version) does not verify with \(approval.approver)'s key (\(SigningKeys.fingerprint(key))): it was forged, altered, or signed with another key",
                    "\(approval.approver) signs again with `kiln approve` and their own key")
    }
    let signedFor = "\(approval.model) v\(approval.version) (run \(approval.runID)) to \(approval.stage)"
    let promoting = "\(expected.model) v\(expected.version) (run \(expected.runID)) to \(expected.stage)"
    guard signedFor == promoting else {
      throw refused("the approval is for \(signedFor), not \(promoting): an approval holds for one version and stage only",
                    "\(approval.approver) approves this version with `kiln approve \(expected.model):\(expected.version) --as \(approval.approver) --key FILE`")
    }
    guard approval.modelCardSHA256 == expected.modelCardSHA256 else {
      throw refused("the model card of \(expected.model) v\(expected.version) changed since \(approval.approver) approved it",
                    "review the current card and approve again")
    }
    let events = try tracker.store.auditEvents()
    if let mismatch = AuditVerification.checkAnchors([AuditAnchor(head: approval.auditHead, source: "the approval")], against: events) {
      throw refused("the approval does not fit the audit log: \(mismatch.reason ?? "")", "investigate with `kiln audit verify`")
    }
  }
}
