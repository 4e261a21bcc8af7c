import ArgumentParser

@main
struct Kiln: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kiln",
    abstract: "Train, sweep, evaluate and promote models through written gates.",
    discussion: "The lifecycle in order: dataset → train or sweep → evaluate → pipeline/promote → predict, drift, monitor. Every run and decision is tracked (runs, audit).",
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
    ]
  )

  static func main() {
    BLASKernelSelection.apply()
    runReportingErrors(Array(CommandLine.arguments.dropFirst()))
  }
}
