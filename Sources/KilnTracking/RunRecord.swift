import Foundation

/// Everything the store knows about one run's identity and lifecycle (not its metrics).
public struct RunRecord: Codable, Equatable, Sendable {
  /// 32 lowercase hexadecimal characters, as MLflow's run ids.
  public var id: String
  public var experimentID: Int64
  public var experiment: String
  public var name: String
  public var status: RunStatus
  public var startTime: Date
  public var endTime: Date?
  public var seed: UInt64?
  public var commandLine: [String]
  public var host: String
  public var processID: Int32
  public var heartbeatTime: Date
  /// Seconds between the run's heartbeats, or `nil` when it sends none.
  public var heartbeatInterval: TimeInterval?
  public var sourceVersion: SourceVersion?
  public var parentID: String?
  public var configurationText: String
  public var configurationHash: String
  /// When the run was soft-deleted; deleted runs are hidden from queries unless asked for.
  public var deletedTime: Date?

  public init(id: String, experimentID: Int64, experiment: String, name: String, status: RunStatus,
              startTime: Date, endTime: Date?, seed: UInt64?, commandLine: [String], host: String,
              processID: Int32, heartbeatTime: Date, heartbeatInterval: TimeInterval? = nil, sourceVersion: SourceVersion?, parentID: String?,
              configurationText: String, configurationHash: String, deletedTime: Date?) {
    self.id = id
    self.experimentID = experimentID
    self.experiment = experiment
    self.name = name
    self.status = status
    self.startTime = startTime
    self.endTime = endTime
    self.seed = seed
    self.commandLine = commandLine
    self.host = host
    self.processID = processID
    self.heartbeatTime = heartbeatTime
    self.heartbeatInterval = heartbeatInterval
    self.sourceVersion = sourceVersion
    self.parentID = parentID
    self.configurationText = configurationText
    self.configurationHash = configurationHash
    self.deletedTime = deletedTime
  }
}

/// The version-control state of the code a run was started from.
public struct SourceVersion: Codable, Equatable, Sendable {
  /// The commit hash.
  public var commit: String
  /// Whether the working tree had uncommitted changes.
  public var isDirty: Bool

  public init(commit: String, isDirty: Bool) {
    self.commit = commit
    self.isDirty = isDirty
  }

  /// The git commit and dirtiness of the repository containing `directory`, or `nil` when it is
  /// not inside a git repository or git is not installed.
  public static func detect(in directory: URL) -> SourceVersion? {
    guard let commit = git(["rev-parse", "HEAD"], in: directory), !commit.isEmpty else { return nil }
    let status = git(["status", "--porcelain", "--untracked-files=no"], in: directory) ?? ""
    return SourceVersion(commit: commit, isDirty: !status.isEmpty)
  }

  private static func git(_ arguments: [String], in directory: URL) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = directory
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// One logged value of a metric series.
public struct MetricPoint: Codable, Equatable, Sendable {
  public var key: String
  public var step: Int64
  public var value: Double
  /// Wall-clock time at which the value was logged.
  public var timestamp: Date

  public init(key: String, step: Int64, value: Double, timestamp: Date) {
    self.key = key
    self.step = step
    self.value = value
    self.timestamp = timestamp
  }
}

/// A file logged by a run, stored by content under `artifacts/sha256/`.
public struct ArtifactRecord: Codable, Equatable, Sendable {
  /// The validated logical name (`model/checkpoint.h5`).
  public var name: String
  /// Lowercase hexadecimal SHA-256 of the content.
  public var sha256: String
  public var size: Int64
  /// Where the content lives, relative to the artifacts directory (`sha256/ab/abcd…`).
  public var storagePath: String
  public var loggedTime: Date

  public init(name: String, sha256: String, size: Int64, storagePath: String, loggedTime: Date) {
    self.name = name
    self.sha256 = sha256
    self.size = size
    self.storagePath = storagePath
    self.loggedTime = loggedTime
  }
}

/// A dataset a run read: its lineage entry.
public struct DatasetReference: Codable, Equatable, Hashable, Sendable {
  public var name: String
  public var version: String
  /// The dataset's content fingerprint (SHA-256).
  public var fingerprint: String
  /// The split read (`train`, `validation`, `test`), or empty for the whole dataset.
  public var split: String

  public init(name: String, version: String, fingerprint: String, split: String = "") {
    self.name = name
    self.version = version
    self.fingerprint = fingerprint
    self.split = split
  }
}
