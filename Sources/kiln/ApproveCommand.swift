import ArgumentParser
import Foundation
import KilnTracking
import KilnConfiguration
import KilnPromotion

/// `kiln approve MODEL:VERSION --as NAME --key FILE`: sign an approval of a registered version.
struct ApproveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Sign an approval of a model version for production with the approver's Ed25519 key.",
    discussion: """
      Signs a statement naming the model, version, run, target stage, the SHA-256 of the version's \
      reports/MODEL/vN/model-card.json (the card reviewed) and the audit log's head, and writes it to \
      reports/MODEL/vN/approval-STAGE-NAME.json (or --out). `kiln promote RUN_ID --model NAME --to production \
      --approval FILE` checks it against NAME's key in experiments/governance.yaml; it holds for that version, \
      stage and card only.
      """)

  @Argument(help: "The model version: \(ModelReference.acceptedForms).") var model: String
  @Option(name: .customLong("as"), help: "The approver, as governance.yaml lists them.") var approver: String
  @Option(help: "The approver's Ed25519 private key (PKCS#8 PEM), kept outside .kiln/.") var key: String
  @Option(help: "The stage approved.") var to: String = "production"
  @Option(help: "Where to write the approval (default reports/MODEL/vN/approval-STAGE-NAME.json).") var out: String?

  @Flag(help: "Print the result as JSON.") var json = false

  func validate() throws {
    guard let stage = ModelStage(rawValue: to), stage == .production || stage == .staging else {
      throw ValidationError("--to must be staging or production, not '\(to)'")
    }
  }

  func run() throws {
    let stage = ModelStage(rawValue: to) ?? .production
    let (file, approval) = try PromotionWorkflow.approve(try ModelReference.parse(model), stage: stage, approver: approver,
                                                         keyFile: URL(fileURLWithPath: key), output: out.map { URL(fileURLWithPath: $0) },
                                                         layout: ProjectLayout.discover())
    try emit(Outcome(lines: ["\(approval.approver) approves \(approval.model) v\(approval.version) for \(approval.stage) (card sha256 \(approval.modelCardSHA256.prefix(12))…, \(approval.auditHead))",
                             "  \(file.path)"],
                     facts: ["file": .string(file.path), "approval": try JSONValue.parse(approval.json())]), json: json)
  }
}
