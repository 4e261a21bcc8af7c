import KilnCrypto
import Foundation
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

/// Who may approve a model for production, and with which key: `experiments/governance.yaml`.
///
/// ```yaml
/// approver_keys:                     # each approver's Ed25519 public key (`kiln keys generate` prints it)
///   alice: MCowBQYDK2VwAyEA…
/// production:
///   approvers: [alice, bob]          # may approve any model
///   require_signed_approvals: true   # approvals must be signed with the approver's key
///   models:
///     adult-income:
///       approvers: [carol]           # for this model, only these people
///       require_signed_approvals: true
/// ```
/// A model listed under `models` uses its own list in place of the global one, so a policy can
/// narrow approval for a sensitive model; its `require_signed_approvals`, when given, replaces the
/// global one. Parsing is strict: unknown keys, wrong types, empty names and keys that are not
/// Ed25519 public keys are errors naming the file, line and key.
public struct GovernancePolicy: Codable, Equatable, Sendable {
  public struct Approvers: Codable, Equatable, Sendable {
    public var approvers: [String]
    public var requireSignedApprovals: Bool?
    public init(approvers: [String], requireSignedApprovals: Bool? = nil) {
      self.approvers = approvers
      self.requireSignedApprovals = requireSignedApprovals
    }
    enum CodingKeys: String, CodingKey {
      case approvers
      case requireSignedApprovals = "require_signed_approvals"
    }
  }

  public struct Production: Codable, Equatable, Sendable {
    public var approvers: [String]?
    public var requireSignedApprovals: Bool?
    public var models: [String: Approvers]?
    public init(approvers: [String]? = nil, requireSignedApprovals: Bool? = nil, models: [String: Approvers]? = nil) {
      self.approvers = approvers
      self.requireSignedApprovals = requireSignedApprovals
      self.models = models
    }
    enum CodingKeys: String, CodingKey {
      case approvers, models
      case requireSignedApprovals = "require_signed_approvals"
    }
  }

  /// Approver name → public key (base64 of the key's SubjectPublicKeyInfo, or of its 32 raw bytes).
  public var approverKeys: [String: String]?
  public var production: Production

  public init(approverKeys: [String: String]? = nil, production: Production) {
    self.approverKeys = approverKeys
    self.production = production
  }

  enum CodingKeys: String, CodingKey {
    case production
    case approverKeys = "approver_keys"
  }

  /// The file name inside `experiments/`.
  public static let fileName = "governance.yaml"

  /// The people who may approve `model` for production (empty: nobody may).
  public func productionApprovers(model: String) -> [String] {
    production.models?[model]?.approvers ?? production.approvers ?? []
  }

  /// Whether approvals of `model` for production must be signed.
  public func requiresSignedApprovals(model: String) -> Bool {
    production.models?[model]?.requireSignedApprovals ?? production.requireSignedApprovals ?? false
  }

  /// The public key listed for `approver`, if any (keys are checked when the policy is parsed).
  public func publicKey(approver: String) -> Ed25519.PublicKey? {
    approverKeys?[approver].flatMap(SigningKeys.publicKey(text:))
  }

  /// Reads and strictly decodes a policy file.
  public static func load(file: URL) throws -> GovernancePolicy {
    guard let text = try? String(contentsOf: file, encoding: .utf8) else {
      throw ConfigurationError(.unreadableFile, location: file.path, keyPath: "", "cannot read the governance policy",
                               hint: "write experiments/\(fileName) with `production: {approvers: [NAME]}`")
    }
    return try parse(text, file: file.path)
  }

  /// Decodes policy YAML `text`; `file` names it in error locations.
  public static func parse(_ text: String, file: String) throws -> GovernancePolicy {
    let root = try ConfigurationNode.parse(text, file: file)
    let decoder = StrictConfigurationDecoder()
    let policy = try decoder.decode(GovernancePolicy.self, from: root)
    var problems: [ConfigurationError.Problem] = []
    func check(_ names: [String]?, _ keyPath: String) {
      for (index, name) in (names ?? []).enumerated() where name.trimmingCharacters(in: .whitespaces).isEmpty {
        let path = "\(keyPath)[\(index)]"
        problems.append(.init(code: .outOfRange, location: decoder.locations[path] ?? file, keyPath: path,
                              message: "an approver needs a name", hint: nil))
      }
    }
    check(policy.production.approvers, "production.approvers")
    for (model, entry) in policy.production.models ?? [:] { check(entry.approvers, "production.models.\(model).approvers") }
    for (name, key) in (policy.approverKeys ?? [:]).sorted(by: { $0.key < $1.key }) where SigningKeys.publicKey(text: key) == nil {
      let path = "approver_keys.\(name)"
      problems.append(.init(code: .outOfRange, location: decoder.locations[path] ?? file, keyPath: path,
                            message: "not an Ed25519 public key", hint: "paste the last line `kiln keys generate` printed (base64)"))
    }
    if !problems.isEmpty { throw ConfigurationError(problems) }
    return policy
  }
}
