import ArgumentParser
import Foundation
import KilnTracking

/// `kiln store`: move a whole store between SQLite and PostgreSQL.
struct StoreCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "store",
    abstract: "Move a whole tracking store between SQLite and PostgreSQL.",
    subcommands: [Migrate.self]
  )

  struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy every run, metric, artifact record, model version, sweep trial and audit event into an empty store.",
      discussion: """
        --from and --to each take a folder of an embedded store (.kiln) or a postgresql://user@host:port/database URL, \
        either way round. The target must hold nothing; everything is copied in one transaction, the audit log with \
        its hashes, and the target's log is verified against the source's head before the command succeeds. \
        Artifact contents stay in their content-addressed folder; point the hosts at it.
        """)

    @Option(help: "The store to copy: a folder (.kiln) or a postgresql:// URL.") var from: String
    @Option(help: "The empty store to fill: a folder or a postgresql:// URL.") var to: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
      let source = try StoreLocation.parse(from, relativeTo: current)
      let target = try StoreLocation.parse(to, relativeTo: current)
      guard source != target else {
        throw ValidationError("--from and --to name the same store (\(source)); give the store to copy and a new, empty one")
      }
      guard source.exists else {
        throw TrackingError(.databaseUnavailable, "no tracking store at \(source)",
                            hint: "give --from the folder that holds kiln.sqlite (usually .kiln), or a postgresql:// URL")
      }
      let summary = try StoreMigration.migrate(from: try source.open(), named: source.description,
                                               to: try target.open(), named: target.description)
      var lines = ["copied \(source) into \(target)"]
      lines += summary.rows.map { "  \($0.table): \($0.count) rows" }
      lines.append("audit log verified in \(target): \(summary.auditEvents) events, head \(summary.auditHead)")
      var rows: [String: JSONValue] = [:]
      for (table, count) in summary.rows { rows[table] = .number(Double(count)) }
      try emit(Outcome(lines: lines, facts: [
        "from": .string(source.description), "to": .string(target.description), "rows": .object(rows),
        "audit_events": .number(Double(summary.auditEvents)),
        "audit_head": .object(["sequence": .number(Double(summary.auditHead.sequence)), "hash": .string(summary.auditHead.hash)]),
      ]), json: json)
    }
  }
}
