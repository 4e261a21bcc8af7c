import Foundation

/// Who may approve a model for production: `experiments/governance.yaml`.
///
/// ```yaml
/// production:
///   approvers: [alice, bob]          # may approve any model
///   models:
///     adult-income:
///       approvers: [carol]           # for this model, only these people
/// ```
/// A model listed under `models` uses its own list in place of the global one, so a policy can
/// narrow approval for a sensitive model. Parsing is strict: unknown keys, wrong types and empty
/// names are errors naming the file, line and key.
public struct GovernancePolicy: Codable, Equatable, Sendable {
  public struct Approvers: Codable, Equatable, Sendable {
    public var approvers: [String]
    public init(approvers: [String]) { self.approvers = approvers }
  }

  public struct Production: Codable, Equatable, Sendable {
    public var approvers: [String]?
    public var models: [String: Approvers]?
    public init(approvers: [String]? = nil, models: [String: Approvers]? = nil) {
      self.approvers = approvers
      self.models = models
    }
  }

  public var production: Production

  public init(production: Production) { self.production = production }

  /// The file name inside `experiments/`.
  public static let fileName = "governance.yaml"

  /// The people who may approve `model` for production (empty: nobody may).
  public func productionApprovers(model: String) -> [String] {
    production.models?[model]?.approvers ?? production.approvers ?? []
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
    if !problems.isEmpty { throw ConfigurationError(problems) }
    return policy
  }
}
