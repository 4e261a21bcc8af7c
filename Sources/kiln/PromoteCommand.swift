import ArgumentParser
import Foundation
import KilnTracking
import KilnConfiguration
import KilnPromotion

/// `kiln promote RUN_ID --model NAME`: gate a run and move its model to staging or production.
struct PromoteCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "promote",
    abstract: "Gate a run, register its model and move it to staging or production (with approval).")

  @Argument(help: "The run id (or a unique prefix of it).") var runID: String
  @Option(help: "The registered model's name.") var model: String
  @Option(help: "The target stage: staging or production.") var to: String = "staging"
  @Option(help: "Who approves (production needs a person listed in experiments/governance.yaml).") var approvedBy: String?
  @Flag(help: "Override failing gates (needs --reason; recorded in the audit log).") var force = false
  @Option(help: "Why the gates are overridden.") var reason: String?
  @Option(help: "Sign the approval with this Ed25519 private key (the approver's, kept outside .kiln/).") var key: String?
  @Option(help: "A signed approval written by `kiln approve`.") var approval: String?
  @Flag(help: "Print the result as JSON.") var json = false

  func validate() throws {
    guard let target = ModelStage(rawValue: to), target == .staging || target == .production else {
      throw ValidationError("--to must be staging or production, not '\(to)'")
    }
    if key != nil && approval != nil { throw ValidationError("give --key (sign here) or --approval FILE (signed by `kiln approve`), not both") }
    if (key != nil || approval != nil) && to != "production" { throw ValidationError("--key and --approval sign approvals for --to production") }
    if key != nil && approvedBy == nil { throw ValidationError("--key signs for the approver named by --approved-by NAME") }
  }

  func run() throws {
    let target = ModelStage(rawValue: to) ?? .staging
    let layout = ProjectLayout.discover()
    let outcome = try PromotionWorkflow.promote(
      PromotionRequest(runID: runID, model: model, target: target, approvedBy: approvedBy, force: force, reason: reason,
                       approvalFile: approval.map { URL(fileURLWithPath: $0) }, signingKeyFile: key.map { URL(fileURLWithPath: $0) }),
      layout: layout)
    let forced = outcome.record.forced ? " (gates OVERRIDDEN: \(outcome.record.overrideReason ?? ""))" : ""
    let lines = [PromotionWorkflow.gateTable(outcome.gateReport.decision).trimmingCharacters(in: .newlines),
                 "\(outcome.version.modelName) v\(outcome.version.version) → \(outcome.version.stage.rawValue)\(forced)"]
      + outcome.reportFiles.map { "  \($0.path)" }
    try emit(Outcome(lines: lines, facts: ["model": .string(outcome.version.modelName), "version": .number(Double(outcome.version.version)),
                                           "stage": .string(outcome.version.stage.rawValue), "forced": .bool(outcome.record.forced),
                                           "reports": .array(outcome.reportFiles.map { .string($0.path) }),
                                           "promotion": try JSONValue.parse(outcome.record.json())]), json: json)
  }
}
