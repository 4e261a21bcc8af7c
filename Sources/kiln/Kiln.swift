import ArgumentParser

@main
struct Kiln: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "kiln",
    abstract: "Train, sweep, evaluate and promote models through written gates.",
    subcommands: [
      DatasetCommand.self,
      TrainCommand.self,
      EvaluateCommand.self,
      RunsCommand.self,
      FairnessCommand.self,
      AuditCommand.self,
      SweepCommand.self,
      PromoteCommand.self,
      ModelsCommand.self,
      PipelineCommand.self,
      DriftCommand.self,
      PredictCommand.self,
      MonitorCommand.self,
      CompareModelsCommand.self,
    ]
  )
}
