import Foundation
import Testing
import KilnTracking

/// A promotable project whose policy lists ana's and ben's public keys (made in the test) and
/// requires signed approvals, with one staged version ready to approve.
struct SigningProject {
  let project: PromotableProject
  let ana: GeneratedKey, ben: GeneratedKey, mallory: GeneratedKey
  let run: String
  var root: URL { project.root }

  init(requireSigned: Bool = true) throws {
    ana = try GeneratedKey(name: "ana")
    ben = try GeneratedKey(name: "ben")
    mallory = try GeneratedKey(name: "mallory")
    project = try PromotableProject(policy: """
      approver_keys:
        ana: \(ana.publicKeyText)
        ben: \(ben.publicKeyText)
      production:
        approvers: [ana, ben]
        require_signed_approvals: \(requireSigned)

      """)
    run = try project.run(accuracy: 0.85, auc: 0.9)
    let staged = try runKiln(["promote", run, "--model", "adult"], in: project.root)
    #expect(staged.status == 0, "\(staged.stderr)")
  }

  /// `kiln approve adult:VERSION` signed with `key`, returning the approval file.
  func approve(version: Int = 1, as approver: String = "ana", key: GeneratedKey, stage: String = "production") throws -> URL {
    let out = root.appendingPathComponent("approval-\(UUID().uuidString).json")
    let result = try runKiln(["approve", "adult:\(version)", "--as", approver, "--key", key.privateFile.path, "--to", stage,
                              "--out", out.path], in: root)
    #expect(result.status == 0, "\(result.stderr)")
    return out
  }

  func promote(_ run: String, _ extra: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
    try runKiln(["promote", run, "--model", "adult", "--to", "production"] + extra, in: root)
  }
}

@Suite struct SignedApprovalCLITests {
  @Test func aSignedApprovalPromotesAndTheCardSaysSo() throws {
    let project = try SigningProject()
    let unsigned = try project.promote(project.run, ["--approved-by", "ana"])
    #expect(unsigned.status != 0 && unsigned.stderr.contains("requires a signed approval"), "\(unsigned.stderr)")
    let signed = try project.promote(project.run, ["--approved-by", "ana", "--key", project.ana.privateFile.path])
    #expect(signed.status == 0, "\(signed.stderr)")
    let card = try String(contentsOf: project.root.appendingPathComponent("reports/adult/v1/model-card.md"), encoding: .utf8)
    #expect(card.contains("- Approval: ana (signed for production"))
    let json = try project.project.report("reports/adult/v1/model-card.json")
    #expect(((json["model_details"] as? [String: Any])?["approval"] as? [String: Any])?["signed"] as? Bool == true)
    let promotion = try project.project.report("reports/adult/v1/promotion.json")
    #expect((promotion["signed_approval"] as? [String: Any])?["signature"] is String)
    let verify = try runKiln(["audit", "verify"], in: project.root)
    #expect(verify.status == 0 && verify.stdout.contains("1 signed approval verified, 0 unsigned"), "\(verify.stdout)\(verify.stderr)")
  }

  @Test func anApprovalFileFromKilnApprovePromotes() throws {
    let project = try SigningProject()
    let file = try project.approve(as: "ben", key: project.ben)
    let result = try project.promote(project.run, ["--approval", file.path])
    #expect(result.status == 0, "\(result.stderr)")
    let approved = try #require(try project.project.events().last { $0.kind == .modelApproved })
    #expect(approved.payload.contains("\"signature\"") && approved.payload.contains("\"approver\":\"ben\""))
  }

  @Test func anApprovalSignedWithTheWrongKeyIsRefused() throws {
    let project = try SigningProject()
    let here = try project.promote(project.run, ["--approved-by", "ana", "--key", project.mallory.privateFile.path])
    #expect(here.status != 0 && here.stderr.contains("does not verify with ana's key"), "\(here.stderr)")
    let file = try project.approve(as: "ana", key: project.ben)
    let result = try project.promote(project.run, ["--approval", file.path])
    #expect(result.status != 0 && result.stderr.contains("does not verify with ana's key"), "\(result.stderr)")
    #expect(try !project.project.events().contains { $0.kind == .modelApproved })
  }

  @Test func aForgedApprovalIsRefused() throws {
    let project = try SigningProject()
    let file = try project.approve(key: project.ana)
    // Ben edits ana's approval to name himself.
    let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"approver\" : \"ana\"", with: "\"approver\" : \"ben\"")
    #expect(text.contains("\"ben\""))
    try text.write(to: file, atomically: true, encoding: .utf8)
    let result = try project.promote(project.run, ["--approval", file.path])
    #expect(result.status != 0 && result.stderr.contains("forged, altered, or signed with another key"), "\(result.stderr)")
  }

  @Test func anApprovalIsNotReplayedOntoAnotherVersionOrStage() throws {
    let project = try SigningProject()
    let forVersion1 = try project.approve(version: 1, key: project.ana)
    let second = try project.project.run(accuracy: 0.86, auc: 0.91)
    #expect(try runKiln(["promote", second, "--model", "adult"], in: project.root).status == 0)
    let otherVersion = try project.promote(second, ["--approval", forVersion1.path])
    #expect(otherVersion.status != 0 && otherVersion.stderr.contains("not adult v2"), "\(otherVersion.stderr)")
    let forStaging = try project.approve(version: 1, key: project.ana, stage: "staging")
    let otherStage = try project.promote(project.run, ["--approval", forStaging.path])
    #expect(otherStage.status != 0 && otherStage.stderr.contains("to staging, not adult v1"), "\(otherStage.stderr)")
    #expect(try project.promote(project.run, ["--approval", forVersion1.path]).status == 0)
  }

  @Test func auditVerifyRechecksEverySignedApproval() throws {
    let project = try SigningProject()
    #expect(try project.promote(project.run, ["--approved-by", "ana", "--key", project.ana.privateFile.path]).status == 0)
    let approved = try #require(try project.project.events().last { $0.kind == .modelApproved })
    try project.project.rewriteHistory(editing: approved.sequence) { $0.replacingOccurrences(of: "\"ana\"", with: "\"ben\"") }
    // With the reports gone only the signature is left to catch the rewrite.
    try FileManager.default.removeItem(at: project.root.appendingPathComponent("reports"))
    let result = try runKiln(["audit", "verify"], in: project.root)
    #expect(result.status == 2)
    #expect(result.stderr.contains("event \(approved.sequence) (model.approved)") && result.stderr.contains("forged or altered"), "\(result.stderr)")
  }

  @Test func whereThePolicyAllowsItAnUnsignedApprovalStaysPossible() throws {
    let project = try SigningProject(requireSigned: false)
    let result = try project.promote(project.run, ["--approved-by", "ana"])
    #expect(result.status == 0, "\(result.stderr)")
    let card = try String(contentsOf: project.root.appendingPathComponent("reports/adult/v1/model-card.html"), encoding: .utf8)
    #expect(card.contains("ana (unsigned)"))
    let verify = try runKiln(["audit", "verify"], in: project.root)
    #expect(verify.stdout.contains("0 signed approvals verified, 1 unsigned"), "\(verify.stdout)")
  }
}
