import Foundation
import KilnSQL

/// The model registry (`ModelRegistryStore`) in tables `registered_model`, `model_version` and
/// `model_alias`; each change and its audit events are one transaction.
extension SQLTrackingStore {
  /// The alias that names the version in production.
  static var championAlias: String { "champion" }

  /// Makes the registry's changes to one model take turns, so two never take the same next
  /// version or both archive the same production version.
  static func serialisingChanges(to model: String, _ db: Connection) throws {
    if let lock = db.dialect.serialising(space: 1802, key: model) { try db.execute(sql: lock.sql, arguments: lock.arguments) }
  }

  public func registerModelVersion(_ draft: ModelVersionDraft, at time: Date) throws -> ModelVersionRecord {
    try checkName(draft.modelName, kind: .model)
    return try write { db in
      try Self.serialisingChanges(to: draft.modelName, db)
      guard try db.fetchOne(sql: "SELECT 1 FROM run WHERE id = ?", arguments: [draft.runID]) != nil else {
        throw TrackingError.unknownRun(draft.runID)
      }
      let milliseconds = Milliseconds.from(time)
      try db.execute(sql: "INSERT INTO registered_model(name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                     arguments: [draft.modelName, milliseconds])
      let latest = try db.fetchValue(Int.self, sql: "SELECT MAX(version) FROM model_version WHERE model_name = ?",
                                     arguments: [draft.modelName]) ?? 0
      let version = latest + 1
      var payload: [String: JSONValue] = [
        "model": .string(draft.modelName), "versions": .object([String(version): .string(ModelStage.none.rawValue)]),
        "run": .string(draft.runID), "checkpoint_artifact": .string(draft.checkpointArtifact),
        "dataset_fingerprint": .string(draft.datasetFingerprint), "configuration_hash": .string(draft.configurationHash),
      ]
      if let sha = draft.checkpointSHA256 { payload["checkpoint_sha256"] = .string(sha) }
      if let commit = draft.gitCommit { payload["git_commit"] = .string(commit) }
      let event = try Self.appendAudit(db, kind: .modelRegistered, runID: draft.runID, payload: .object(payload), at: time)
      try db.execute(sql: """
        INSERT INTO model_version(model_name, version, run_id, checkpoint_artifact, checkpoint_sha256, dataset_fingerprint,
          git_commit, configuration_hash, stage, created_at, stage_changed_at, production_since, last_event)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
        """, arguments: [draft.modelName, version, draft.runID, draft.checkpointArtifact, draft.checkpointSHA256,
                         draft.datasetFingerprint, draft.gitCommit, draft.configurationHash, ModelStage.none.rawValue,
                         milliseconds, milliseconds, event.sequence])
      return try Self.writtenVersion(db, draft.modelName, version)
    }
  }

  public func changeStage(model: String, version: Int, _ request: StageChangeRequest, at time: Date) throws -> ModelVersionRecord {
    try write { db in
      try Self.serialisingChanges(to: model, db)
      guard let current = try Self.fetchVersion(db, model, version) else {
        throw try Self.unknownVersion(db, model, version)
      }
      guard current.stage.canMove(to: request.target) else {
        throw TrackingError(.invalidTransition,
                            "\(model) v\(version) is in \(current.stage.rawValue) and cannot move to \(request.target.rawValue)",
                            hint: "versions move forward only (none → staging → production → archived); use `kiln models rollback \(model)` to restore a previous production version")
      }
      let base: [String: JSONValue] = ["model": .string(model), "version": .number(Double(version))]
      if let reason = request.overrideReason {
        var payload = base.merging(request.details) { first, _ in first }
        payload["reason"] = .string(reason)
        _ = try Self.appendAudit(db, kind: .modelGateOverridden, runID: current.runID, payload: .object(payload), at: time)
      }
      if let approver = request.approver {
        var payload = base.merging(["approver": .string(approver), "stage": .string(request.target.rawValue)]) { first, _ in first }
        if let approval = request.signedApproval {
          payload.merge(approval.fields) { _, signed in signed }
          payload["signature"] = .string(approval.signature)
        }
        _ = try Self.appendAudit(db, kind: .modelApproved, runID: current.runID, payload: .object(payload), at: time)
      }
      var stages = [String(version): JSONValue.string(request.target.rawValue)]
      let previous = request.target == .production
        ? try db.fetchValues(Int.self, sql: "SELECT version FROM model_version WHERE model_name = ? AND stage = 'production'", arguments: [model])
        : []
      for old in previous { stages[String(old)] = .string(ModelStage.archived.rawValue) }
      var payload = request.details.merging(base) { _, new in new }
      payload["versions"] = .object(stages)
      payload["from"] = .string(current.stage.rawValue)
      payload["to"] = .string(request.target.rawValue)
      if let approver = request.approver { payload["approver"] = .string(approver) }
      if let reason = request.overrideReason { payload["override_reason"] = .string(reason) }
      if request.target == .production { payload["champion"] = .number(Double(version)) }
      let event = try Self.appendAudit(db, kind: .modelStageChanged, runID: current.runID, payload: .object(payload), at: time)
      try Self.apply(db, model: model, stages: stages, event: event.sequence, at: time)
      return try Self.writtenVersion(db, model, version)
    }
  }

  public func rollback(model: String, actor: String?, reason: String?, at time: Date) throws -> ModelVersionRecord {
    try write { db in
      try Self.serialisingChanges(to: model, db)
      guard let current = try db.fetchValue(Int.self, sql: "SELECT version FROM model_version WHERE model_name = ? AND stage = 'production'",
                                            arguments: [model]) else {
        throw TrackingError(.invalidTransition, "\(model) has no version in production to roll back",
                            hint: "see the versions with `kiln models show \(model)`")
      }
      guard let target = try db.fetchValue(Int.self, sql: """
        SELECT version FROM model_version WHERE model_name = ? AND stage = 'archived' AND production_since IS NOT NULL
          AND production_since < (SELECT production_since FROM model_version WHERE model_name = ? AND version = ?)
        ORDER BY production_since DESC, version DESC LIMIT 1
        """, arguments: [model, model, current]) else {
        throw TrackingError(.invalidTransition, "\(model) v\(current) is the oldest version that was in production: there is none to roll back to",
                            hint: "promote another version to production instead")
      }
      let stages: [String: JSONValue] = [String(current): .string(ModelStage.archived.rawValue),
                                         String(target): .string(ModelStage.production.rawValue)]
      var payload: [String: JSONValue] = ["model": .string(model), "versions": .object(stages),
                                          "from_version": .number(Double(current)), "to_version": .number(Double(target)),
                                          "champion": .number(Double(target))]
      if let actor { payload["actor"] = .string(actor) }
      if let reason { payload["reason"] = .string(reason) }
      let runID = try db.fetchValue(String.self, sql: "SELECT run_id FROM model_version WHERE model_name = ? AND version = ?",
                                    arguments: [model, target])
      let event = try Self.appendAudit(db, kind: .modelRolledBack, runID: runID, payload: .object(payload), at: time)
      try Self.apply(db, model: model, stages: stages, event: event.sequence, at: time, restoring: target)
      return try Self.writtenVersion(db, model, target)
    }
  }

  /// Writes new stages and the champion alias; `restoring` keeps its original `production_since`.
  static func apply(_ db: Connection, model: String, stages: [String: JSONValue], event: Int64, at time: Date, restoring: Int? = nil) throws {
    let milliseconds = Milliseconds.from(time)
    for (versionText, stageValue) in stages.sorted(by: { $0.key < $1.key }) {
      guard case .string(let stage) = stageValue, let version = Int(versionText) else { continue }
      let entersProduction = stage == ModelStage.production.rawValue && version != restoring
      try db.execute(sql: """
        UPDATE model_version SET stage = ?, stage_changed_at = ?, last_event = ?,
          production_since = CASE WHEN ? THEN CAST(? AS BIGINT) ELSE production_since END
        WHERE model_name = ? AND version = ?
        """, arguments: [stage, milliseconds, event, entersProduction, milliseconds, model, version])
      if stage == ModelStage.production.rawValue {
        try db.execute(sql: """
          INSERT INTO model_alias(model_name, alias, version) VALUES (?, ?, ?)
          ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version
          """, arguments: [model, championAlias, version])
      }
    }
  }

  // MARK: Reading

  public func modelVersions(model: String) throws -> [ModelVersionRecord] {
    try read { db in
      try db.fetchAll(sql: "\(Self.versionSelect) WHERE v.model_name = ? ORDER BY v.version", arguments: [model])
        .map(Self.version(from:))
    }
  }

  public func modelVersion(model: String, version: Int) throws -> ModelVersionRecord? {
    try read { db in try Self.fetchVersion(db, model, version) }
  }

  public func modelVersions(runID: String) throws -> [ModelVersionRecord] {
    try read { db in
      try db.fetchAll(sql: "\(Self.versionSelect) WHERE v.run_id = ? ORDER BY v.model_name, v.version", arguments: [runID])
        .map(Self.version(from:))
    }
  }

  public func champion(model: String) throws -> ModelVersionRecord? {
    try read { db in
      guard let version = try db.fetchValue(Int.self, sql: "SELECT version FROM model_alias WHERE model_name = ? AND alias = ?",
                                            arguments: [model, Self.championAlias]) else { return nil }
      return try Self.fetchVersion(db, model, version)
    }
  }

  public func registeredModels() throws -> [RegisteredModelSummary] {
    try read { db in
      var staging: [String: [Int]] = [:]
      try db.forEachRow(sql: "SELECT model_name, version FROM model_version WHERE stage = 'staging' ORDER BY model_name, version",
                        arguments: []) { row in staging[try row[0], default: []].append(try row[1]) }
      return try db.fetchAll(sql: """
        SELECT m.name, m.created_at, (SELECT MAX(version) FROM model_version WHERE model_name = m.name) AS latest,
          (SELECT version FROM model_alias WHERE model_name = m.name AND alias = 'champion') AS champion
        FROM registered_model m ORDER BY m.name
        """).map { row in
        let name: String = try row["name"]
        return try RegisteredModelSummary(name: name, createdTime: Milliseconds.date(row["created_at"]), latestVersion: row["latest"] ?? 0,
                                          championVersion: row["champion"], stagingVersions: staging[name] ?? [])
      }
    }
  }

  public func registryAuditProblems() throws -> [(event: Int64, reason: String)] {
    try read { db in
      let rows = try db.fetchAll(sql: """
        SELECT v.model_name, v.version, v.stage, v.last_event, e.kind, e.payload
        FROM model_version v LEFT JOIN audit_event e ON e.sequence = v.last_event ORDER BY v.last_event, v.model_name, v.version
        """)
      return try rows.compactMap { row -> (Int64, String)? in
        let model: String = try row["model_name"], version: Int = try row["version"], stage: String = try row["stage"]
        let event: Int64 = try row["last_event"]
        guard let payloadText: String = try row["payload"] else {
          return (event, "event \(event) is missing: \(model) v\(version) records its stage \(stage) there")
        }
        let payload = (try? JSONValue.parse(payloadText)) ?? .null
        guard case .object(let members) = payload, members["model"] == .string(model),
              case .object(let versions)? = members["versions"], versions[String(version)] == .string(stage) else {
          return (event, "event \(event) does not record \(model) v\(version) in stage \(stage): the registry or the log was changed")
        }
        return nil
      }
    }
  }

  static var versionSelect: String { """
    SELECT v.*, (a.version IS NOT NULL) AS is_champion FROM model_version v
    LEFT JOIN model_alias a ON a.model_name = v.model_name AND a.alias = 'champion' AND a.version = v.version
    """ }

  static func fetchVersion(_ db: Connection, _ model: String, _ version: Int) throws -> ModelVersionRecord? {
    try db.fetchOne(sql: "\(versionSelect) WHERE v.model_name = ? AND v.version = ?", arguments: [model, version])
      .map(version(from:))
  }

  /// A version read back in the transaction that wrote it.
  static func writtenVersion(_ db: Connection, _ model: String, _ version: Int) throws -> ModelVersionRecord {
    guard let record = try fetchVersion(db, model, version) else {
      throw TrackingError(.unknownModel, "\(model) v\(version) was written but cannot be read back from the tracking store",
                          hint: "check the database's log; the change was not committed")
    }
    return record
  }

  static func version(from row: SQLRow) throws -> ModelVersionRecord {
    let productionSince: Int64? = try row["production_since"]
    return try ModelVersionRecord(
      modelName: row["model_name"], version: row["version"], runID: row["run_id"], checkpointArtifact: row["checkpoint_artifact"],
      checkpointSHA256: row["checkpoint_sha256"], datasetFingerprint: row["dataset_fingerprint"], gitCommit: row["git_commit"],
      configurationHash: row["configuration_hash"], stage: ModelStage(rawValue: row["stage"]) ?? .none,
      createdTime: Milliseconds.date(row["created_at"]), stageChangedTime: Milliseconds.date(row["stage_changed_at"]),
      productionSince: productionSince.map(Milliseconds.date), lastEvent: row["last_event"], isChampion: row["is_champion"])
  }

  static func unknownVersion(_ db: Connection, _ model: String, _ version: Int) throws -> TrackingError {
    let known = try db.fetchValues(Int.self, sql: "SELECT version FROM model_version WHERE model_name = ? ORDER BY version", arguments: [model])
    if known.isEmpty {
      return TrackingError(.unknownModel, "no registered model named '\(model)'", hint: "list the models with `kiln models list`")
    }
    return TrackingError(.unknownModel, "\(model) has no version \(version) (versions: \(known.map(String.init).joined(separator: ", ")))",
                         hint: "see the versions with `kiln models show \(model)`")
  }
}
