import Foundation

/// What a new model version is registered from: its run and the lineage that rebuilds it.
public struct ModelVersionDraft: Codable, Equatable, Sendable {
  public var modelName: String
  public var runID: String
  /// The run artifact holding the weights, e.g. `model/checkpoint.h5`.
  public var checkpointArtifact: String
  /// SHA-256 of the checkpoint file, when it was logged as an artifact.
  public var checkpointSHA256: String?
  public var datasetFingerprint: String
  public var gitCommit: String?
  public var configurationHash: String

  public init(modelName: String, runID: String, checkpointArtifact: String, checkpointSHA256: String?,
              datasetFingerprint: String, gitCommit: String?, configurationHash: String) {
    self.modelName = modelName
    self.runID = runID
    self.checkpointArtifact = checkpointArtifact
    self.checkpointSHA256 = checkpointSHA256
    self.datasetFingerprint = datasetFingerprint
    self.gitCommit = gitCommit
    self.configurationHash = configurationHash
  }
}

/// One registered version of a model (1, 2, 3 … per name).
public struct ModelVersionRecord: Codable, Equatable, Sendable {
  public var modelName: String
  public var version: Int
  public var runID: String
  public var checkpointArtifact: String
  public var checkpointSHA256: String?
  public var datasetFingerprint: String
  public var gitCommit: String?
  public var configurationHash: String
  public var stage: ModelStage
  public var createdTime: Date
  public var stageChangedTime: Date
  /// When the version last entered production; rollbacks return to the newest such version.
  public var productionSince: Date?
  /// The audit event that recorded the version's current stage.
  public var lastEvent: Int64
  /// Whether the `champion` alias points at this version.
  public var isChampion: Bool

  public init(modelName: String, version: Int, runID: String, checkpointArtifact: String, checkpointSHA256: String?,
              datasetFingerprint: String, gitCommit: String?, configurationHash: String, stage: ModelStage,
              createdTime: Date, stageChangedTime: Date, productionSince: Date?, lastEvent: Int64, isChampion: Bool) {
    self.modelName = modelName
    self.version = version
    self.runID = runID
    self.checkpointArtifact = checkpointArtifact
    self.checkpointSHA256 = checkpointSHA256
    self.datasetFingerprint = datasetFingerprint
    self.gitCommit = gitCommit
    self.configurationHash = configurationHash
    self.stage = stage
    self.createdTime = createdTime
    self.stageChangedTime = stageChangedTime
    self.productionSince = productionSince
    self.lastEvent = lastEvent
    self.isChampion = isChampion
  }
}

/// A registered model name with a summary of its versions.
public struct RegisteredModelSummary: Codable, Equatable, Sendable {
  public var name: String
  public var createdTime: Date
  public var latestVersion: Int
  public var championVersion: Int?
  public var stagingVersions: [Int]

  public init(name: String, createdTime: Date, latestVersion: Int, championVersion: Int?, stagingVersions: [Int]) {
    self.name = name
    self.createdTime = createdTime
    self.latestVersion = latestVersion
    self.championVersion = championVersion
    self.stagingVersions = stagingVersions
  }
}

/// How a version reached its new stage: who approved it, and whether a failing gate was overridden.
public struct StageChangeRequest: Equatable, Sendable {
  public var target: ModelStage
  /// The person who approved the change (required by policy for production; checked by the caller).
  public var approver: String?
  /// The reason given for overriding a failing gate; nil when the gates passed.
  public var overrideReason: String?
  /// Extra facts recorded with the change (gate verdict, report paths).
  public var details: [String: JSONValue]
  /// The approver's signature on this change, already checked by the caller; recorded in the
  /// `model.approved` event so `kiln audit verify` can check it again.
  public var signedApproval: SignedApproval?

  public init(target: ModelStage, approver: String? = nil, overrideReason: String? = nil, details: [String: JSONValue] = [:],
              signedApproval: SignedApproval? = nil) {
    self.target = target
    self.approver = approver
    self.overrideReason = overrideReason
    self.details = details
    self.signedApproval = signedApproval
  }
}
