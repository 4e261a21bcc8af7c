import ArgumentParser
import Foundation
import KilnTracking
import KilnConfiguration
import KilnPromotion

/// `kiln models`: the model registry.
struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "List registered models, show their versions, promote a run, roll production back.",
    subcommands: [List.self, Show.self, PromoteCommand.self, Rollback.self]
  )

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List registered models with their champion and staging versions.")
    @Flag(help: "Print JSON instead of a table.") var json = false
    func run() throws {
      try emit(try ModelRegistryListing.list(layout: ProjectLayout.discover()), json: json)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show a model's versions, stages and lineage.")
    @Argument(help: "The model's name.") var name: String
    @Flag(help: "Print JSON instead of a table.") var json = false
    func run() throws {
      try emit(try ModelRegistryListing.show(model: name, layout: ProjectLayout.discover()), json: json)
    }
  }

  struct Rollback: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Return production to the previous production version (recorded in the audit log).")
    @Argument(help: "The model's name.") var name: String
    @Option(help: "Who rolls back.") var by: String?
    @Option(help: "Why.") var reason: String?
    @Flag(help: "Print the result as JSON.") var json = false
    func run() throws {
      let restored = try ModelRegistryListing.rollback(model: name, actor: by, reason: reason, layout: ProjectLayout.discover())
      try emit(Outcome(lines: ["\(name): production rolled back to v\(restored.version) (champion)"],
                       facts: ["model": .string(name), "version": .number(Double(restored.version)), "stage": .string(restored.stage.rawValue)]), json: json)
    }
  }
}
