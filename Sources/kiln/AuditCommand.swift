import ArgumentParser
import Foundation
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnPromotion

/// `kiln audit`: check the append-only audit log, and sign checkpoints of it.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Check the audit log, and sign checkpoints of it.",
    subcommands: [Verify.self, Checkpoint.self]
  )

  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Verify the audit log against its hash chain, the registry, and every head recorded outside the store.",
      discussion: """
        Walks the hash chain and names the first event that does not match; checks every audit chain head \
        recorded by the reports under reports/ (promotion.json, model cards, drift and monitor reports, \
        checkpoints) and by the report files named here, so a history rewritten with its chain recomputed, \
        or with its newest events deleted, no longer matches; re-checks every signed approval against the \
        keys in experiments/governance.yaml. With --public-key, every signed checkpoint's signature is \
        checked too, and at least one must exist. Exit status 2 when anything does not match.
        """)

    @Argument(help: "More report files to check the log against (copies held elsewhere).")
    var reports: [String] = []

    @Option(help: "The public key (PEM) that signed the audit checkpoints.")
    var publicKey: String?

    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let report = try AuditWorkflow.verify(layout: ProjectLayout.discover(), files: reports.map { URL(fileURLWithPath: $0) },
                                            publicKeyFile: publicKey.map { URL(fileURLWithPath: $0) })
      let verification = report.verification
      if let bad = verification.firstBadEvent {
        let message = "audit log BROKEN at event \(bad) of \(verification.eventCount): \(verification.reason ?? "")\n"
        FileHandle.standardError.write(Data(message.utf8))
        throw ExitCode(2)
      }
      try emit(Outcome(lines: [report.summary], facts: ["verified": .bool(true), "events": .number(Double(verification.eventCount)),
                                                        "summary": .string(report.summary)]), json: json)
    }
  }

  struct Checkpoint: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Sign the audit log's current head with an Ed25519 key kept outside .kiln/.",
      discussion: """
        Writes reports/audit/checkpoints/checkpoint-SEQUENCE.json (or --out): the head, the time and the \
        signature. `kiln audit verify --public-key FILE` checks every checkpoint's signature. Keep copies \
        of checkpoints away from the project: truncation is detected only up to the newest head held outside the store.
        """)

    @Option(help: "The private key (PKCS#8 PEM, from `kiln keys generate`), outside .kiln/.")
    var key: String

    @Option(help: "Where to write the checkpoint (default reports/audit/checkpoints/checkpoint-SEQUENCE.json).")
    var out: String?

    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let (file, checkpoint) = try AuditWorkflow.checkpoint(layout: ProjectLayout.discover(), keyFile: URL(fileURLWithPath: key),
                                                            output: out.map { URL(fileURLWithPath: $0) })
      try emit(Outcome(lines: ["signed \(checkpoint.auditHead): \(file.path)"],
                       facts: ["file": .string(file.path), "checkpoint": try JSONValue.parse(checkpoint.json())]), json: json)
    }
  }
}

/// `kiln keys`: Ed25519 signing keys for audit checkpoints and approvals.
struct KeysCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys",
    abstract: "Make Ed25519 signing keys for audit checkpoints and approvals.",
    subcommands: [Generate.self]
  )

  struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a new key pair: FILE (private, mode 0600) and FILE.pub (public).",
      discussion: """
        Keep the private key outside the project's .kiln/ store (Kiln refuses to sign with a key inside it). \
        The last line printed is the public key as governance.yaml's approver_keys take it.
        """)

    @Option(help: "The private key file to write; the public key goes to the same path with .pub appended.")
    var out: String

    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let file = URL(fileURLWithPath: out)
      let store = ProjectLayout.discover().storeDirectory.standardizedFileURL.path + "/"
      if file.standardizedFileURL.path.hasPrefix(store) {
        throw TrackingError(.keyUnusable, "\(file.path) is inside the tracking store: a key there protects nothing",
                            hint: "write keys outside .kiln/, for example to ~/.config/kiln/NAME.key")
      }
      let publicFile = URL(fileURLWithPath: out + ".pub")
      let publicKey = try SigningKeys.generate(privateFile: file, publicFile: publicFile)
      try emit(Outcome(lines: ["private key: \(file.path) (mode 0600)",
                               "public key:  \(publicFile.path) (\(SigningKeys.fingerprint(publicKey)))",
                               SigningKeys.publicKeyText(publicKey).trimmingCharacters(in: .newlines)],
                       facts: ["private_key_file": .string(file.path), "public_key_file": .string(publicFile.path),
                               "fingerprint": .string(SigningKeys.fingerprint(publicKey)),
                               "public_key": .string(SigningKeys.publicKeyText(publicKey).trimmingCharacters(in: .newlines))]), json: json)
    }
  }
}
