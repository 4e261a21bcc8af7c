import ArgumentParser
import KilnPipeline

/// `--sweep RUN` / `--ignore-sweeps`: which sweep's best trial configures training, shared by
/// `kiln pipeline` and `kiln retrain`.
struct SweepSelection: ParsableArguments {
  @Option(help: "Train with the best trial of this sweep run (default: the experiment's newest finished sweep, if any).")
  var sweep: String?
  @Flag(help: "Train the experiment file as written, even when a sweep of it has run.") var ignoreSweeps = false

  func validate() throws {
    if sweep != nil && ignoreSweeps { throw ValidationError("--sweep and --ignore-sweeps exclude each other") }
  }

  /// The pipeline's sweep source these flags name.
  var source: PipelineOptions.SweepSource { ignoreSweeps ? .ignore : sweep.map { .run($0) } ?? .latest }
}
