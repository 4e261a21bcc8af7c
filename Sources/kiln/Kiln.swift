import ArgumentParser

@main
struct Kiln: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kiln",
    abstract: "Train, sweep, evaluate and promote models through written gates.",
    subcommands: [
      RunsCommand.self,
      AuditCommand.self,
    ]
  )
}
