import ArgumentParser
import Foundation

@main
struct Kiln: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kiln",
    abstract: "Train, sweep, evaluate and promote models through written gates.",
    discussion: """
      The lifecycle in order: dataset → train or sweep → evaluate → pipeline/promote → predict, drift, monitor. Every run and decision is tracked (runs, audit).
      Runs are kept in the project's .kiln/ store; every command takes --store postgresql://user@host:port/database (or KILN_STORE) to use a team's PostgreSQL store instead.
      """,
    subcommands: [
      DatasetCommand.self,
      TrainCommand.self,
      SweepCommand.self,
      EvaluateCommand.self,
      FairnessCommand.self,
      PipelineCommand.self,
      RetrainCommand.self,
      PromoteCommand.self,
      ApproveCommand.self,
      ModelsCommand.self,
      PredictCommand.self,
      DriftCommand.self,
      MonitorCommand.self,
      CompareModelsCommand.self,
      RunsCommand.self,
      AuditCommand.self,
      KeysCommand.self,
      UICommand.self,
      StoreCommand.self,
    ]
  )

  static func main() {
    BLASKernelSelection.apply()
    let arguments: [String]
    do {
      arguments = try StoreSelection.apply(Array(CommandLine.arguments.dropFirst()))
    } catch {
      // A bad --store or KILN_STORE is shown as every command's errors are, with exit status 1.
      FileHandle.standardError.write(Data(rendered(error, json: CommandLine.arguments.contains("--json")).utf8))
      exit(withError: ExitCode(1))
    }
    runReportingErrors(arguments)
  }
}
