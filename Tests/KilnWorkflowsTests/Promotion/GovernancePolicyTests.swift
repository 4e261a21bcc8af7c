import Foundation
import Testing
import KilnConfiguration
import KilnRuns
import KilnTraining
import KilnEvaluation
import KilnTuning
import KilnPromotion
import KilnMonitoring
import KilnPipeline

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

  @Test func approverKeysAndTheSignatureRequirementAreRead() throws {
    let key = "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="
    let policy = try GovernancePolicy.parse("""
      approver_keys:
        ana: \(key)
      production:
        approvers: [ana]
        require_signed_approvals: true
        models:
          credit: {approvers: [ana], require_signed_approvals: false}
      """, file: "governance.yaml")
    #expect(policy.requiresSignedApprovals(model: "adult") && !policy.requiresSignedApprovals(model: "credit"))
    #expect(policy.publicKey(approver: "ana") != nil && policy.publicKey(approver: "ben") == nil)
  }

  @Test func aKeyThatIsNotAnEd25519PublicKeyIsAnErrorWithItsLine() throws {
    let error = #expect(throws: ConfigurationError.self) {
      try GovernancePolicy.parse("approver_keys:\n  ana: not-a-key\nproduction:\n  approvers: [ana]\n", file: "governance.yaml")
    }
    #expect(error?.description.contains("governance.yaml:2") == true)
    #expect(error?.description.contains("approver_keys.ana") == true)
  }
}
