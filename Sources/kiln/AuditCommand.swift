import ArgumentParser
import Foundation
import KilnTracking
import KilnWorkflows

/// `kiln audit`: check the append-only audit log.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Check the audit log.",
    subcommands: [Verify.self]
  )

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Walk the audit log's hash chain and name the first event that does not match.")

    func run() throws {
      let tracker = try Tracker(layout: ProjectLayout.discover(), mustExist: true)
      let verification = try tracker.verifyAuditLog()
      if let bad = verification.firstBadEvent {
        let message = "audit log BROKEN at event \(bad) of \(verification.eventCount): \(verification.reason ?? "")\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode(2)
      }
      print("audit log intact: \(verification.eventCount) events, hash chain verified")
    }
  }
}
