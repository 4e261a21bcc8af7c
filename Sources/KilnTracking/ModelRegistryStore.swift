import Foundation

/// The model registry of a store: versions per model name, stages, the `champion` alias, and the
/// check of the registry against the audit log.
///
/// Every change is one transaction that also appends its audit events, so the registry and the
/// log never disagree; each change's audit payload carries `model` and `versions` (version → new
/// stage), and a version remembers the event that set its stage (`lastEvent`).
public protocol ModelRegistryStore: Sendable {
  /// Registers the next version of `draft.modelName` (creating the name), in stage `none`.
  func registerModelVersion(_ draft: ModelVersionDraft, at time: Date) throws -> ModelVersionRecord
  /// Moves a version forward (see `ModelStage.canMove(to:)`). Entering production archives the
  /// previous production version and points `champion` at this one. Records the approval and
  /// the override, when given, as their own audit events before the stage change.
  func changeStage(model: String, version: Int, _ request: StageChangeRequest, at time: Date) throws -> ModelVersionRecord
  /// Returns production to the version that entered production before the current one. A
  /// restored version keeps its original entry time, so rolling back again goes further back in
  /// history rather than returning to the version just rolled back from.
  /// - Returns: the restored version.
  func rollback(model: String, actor: String?, reason: String?, at time: Date) throws -> ModelVersionRecord

  /// Every version of `model`, oldest first.
  func modelVersions(model: String) throws -> [ModelVersionRecord]
  /// One version, or nil.
  func modelVersion(model: String, version: Int) throws -> ModelVersionRecord?
  /// The versions registered from `runID`, in any model.
  func modelVersions(runID: String) throws -> [ModelVersionRecord]
  /// The version the `champion` alias points at, or nil before the first production version.
  func champion(model: String) throws -> ModelVersionRecord?
  /// Every registered model, by name.
  func registeredModels() throws -> [RegisteredModelSummary]

  /// Registry rows whose recorded audit event is missing from the log or does not describe
  /// their current stage: the trace of a deleted or rewritten event, or of an edited registry row.
  /// - Returns: (the event the row names, why it does not match), ordered by event.
  func registryAuditProblems() throws -> [(event: Int64, reason: String)]
}
