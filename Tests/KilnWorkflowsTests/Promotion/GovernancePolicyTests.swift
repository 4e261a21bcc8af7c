import Foundation
import Testing
import KilnWorkflows

@Suite struct GovernancePolicyTests {
  @Test func aModelsOwnApproversReplaceTheGlobalList() throws {
    let policy = try GovernancePolicy.parse("""
      production:
        approvers: [ana, ben]
        models:
          credit: {approvers: [carla]}
      """, file: "governance.yaml")
    #expect(policy.productionApprovers(model: "adult") == ["ana", "ben"])
    #expect(policy.productionApprovers(model: "credit") == ["carla"])
  }

  @Test func unknownKeysAndEmptyNamesAreErrorsWithTheirLine() throws {
    let unknown = #expect(throws: ConfigurationError.self) {
      try GovernancePolicy.parse("production:\n  approvers: [ana]\n  aprovers: [ben]\n", file: "governance.yaml")
    }
    #expect(unknown?.description.contains("governance.yaml:3") == true)
    #expect(unknown?.description.contains("approvers") == true)
    let empty = #expect(throws: ConfigurationError.self) {
      try GovernancePolicy.parse("production:\n  approvers: [ana, \"\"]\n", file: "governance.yaml")
    }
    #expect(empty?.description.contains("production.approvers[1]") == true)
  }

  @Test func theShippedPolicyParses() throws {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("experiments/governance.yaml")
    let policy = try GovernancePolicy.load(file: file)
    #expect(policy.productionApprovers(model: "adult-mlp").contains("model-risk-officer"))
  }
}
