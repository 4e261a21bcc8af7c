/// The prose of a model card (the experiment file's `card:` block); every number on the card
/// comes from the evaluation instead. Sections follow Mitchell et al. 2019 (arXiv:1810.03993).
public struct ModelCardConfiguration: Codable, Equatable, Sendable {
  public struct Risk: Codable, Equatable, Sendable {
    public var name: String
    public var mitigation: String
  }

  public var overview: String?
  public var owners: [String]?
  public var license: String?
  public var references: [String]?
  public var intendedUses: [String]?
  public var intendedUsers: [String]?
  public var outOfScopeUses: [String]?
  public var factors: [String]?
  public var ethicalConsiderations: [Risk]?
  public var caveats: [String]?

  enum CodingKeys: String, CodingKey {
    case overview, owners, license, references, factors, caveats
    case intendedUses = "intended_uses"
    case intendedUsers = "intended_users"
    case outOfScopeUses = "out_of_scope_uses"
    case ethicalConsiderations = "ethical_considerations"
  }
}
