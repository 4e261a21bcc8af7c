import ArgumentParser
import Foundation
import KilnTracking
import KilnConfiguration
import KilnRuns

/// `kiln runs`: find, inspect, compare, export and delete tracked runs.
struct RunsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "runs",
    abstract: "Find, show, compare, export and delete tracked runs.",
    subcommands: [List.self, Show.self, Compare.self, Export.self, Delete.self]
  )

  /// Opens the project's store and marks runs whose process died as killed.
  static func openTracker() throws -> Tracker {
    let tracker = try Tracker(layout: ProjectLayout.discover(), mustExist: true)
    try tracker.markKilledRuns()
    return tracker
  }

  struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List runs, newest first, as a table or JSON.")

    @Option(help: "Only runs of this experiment.") var experiment: String?
    @Option(help: "Only runs with this status (running, finished, failed, killed).") var status: String?
    @Option(name: .customLong("where"),
            help: "A filter such as \"metrics.test.accuracy > 0.85 and params.training.batch_size = 256\".")
    var filter: String?
    @Option(parsing: .unconditionalSingleValue, help: "Sort key; '-' sorts descending (e.g. -metrics.test.accuracy).")
    var sort: [String] = []
    @Option(help: "At most this many runs.") var limit: Int?
    @Flag(help: "Include soft-deleted runs.") var includeDeleted = false
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
      var query = RunQuery(experiment: experiment, limit: limit, includeDeleted: includeDeleted)
      if let status {
        guard let parsed = RunStatus(rawValue: status) else {
          throw ValidationError("unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        query.status = parsed
      }
      if let filter { query.filter = try RunFilter.parse(filter) }
      if !sort.isEmpty { query.sort = try sort.map(RunFilter.parseSort) }
      let tracker = try RunsCommand.openTracker()
      if json {
        // Written as the runs are read, a page at a time: memory stays flat for any number of runs.
        try RunListing.writeJSON(tracker: tracker, query: query) { print($0, terminator: "") }
        return
      }
      try emit(RunListing(tracker: tracker, query: query), json: false)
    }
  }

  struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Show a run: configuration, metrics with sparklines, artifacts, lineage, parent and children.")

    @Argument(help: "The run id (or a unique prefix of it).") var id: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
      let report = try RunReport(tracker: try RunsCommand.openTracker(), runID: id)
      try emit(report, json: json)
    }
  }

  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Compare runs: params that differ and metrics side by side.")

    @Argument(help: "Two or more run ids.") var ids: [String]
    @Flag(help: "Print JSON instead of a table.") var json = false

    func validate() throws {
      guard ids.count >= 2 else { throw ValidationError("compare needs at least two run ids") }
    }

    func run() throws {
      let comparison = try RunComparison(tracker: try RunsCommand.openTracker(), runIDs: ids)
      try emit(comparison, json: json)
    }
  }

  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export runs as CSV, JSON, MLflow's file-store layout, or to a running MLflow tracking server.",
      discussion: """
        With --format mlflow, OUT is a directory that `MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri OUT` \
        opens; with --format mlflow --to http://host:port (and no OUT), the runs are logged to that MLflow tracking \
        server through its REST API. Names MLflow refuses (such as `sex&race`) are written with `:` and the hex of \
        each other byte (`sex:26race`), a mapping that reads back exactly (docs/tracking.md).
        """)

    @Argument(help: "Run ids, then the output path (OUT is last; none with --to).") var arguments: [String] = []
    @Option(help: "Export every run of this experiment.") var experiment: String?
    @Option(help: "csv, json or mlflow.") var format: String
    @Option(help: "With --format mlflow: the URL of a running MLflow tracking server to log the runs to.") var to: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
      guard RunExportFormat(rawValue: format) != nil else {
        throw ValidationError("unknown format '\(format)'; expected csv, json or mlflow")
      }
      if let to {
        guard format == RunExportFormat.mlflow.rawValue else { throw ValidationError("--to needs --format mlflow") }
        guard to.hasPrefix("http://") || to.hasPrefix("https://"), URL(string: to) != nil else {
          throw ValidationError("--to '\(to)' is not an http:// or https:// URL of an MLflow tracking server")
        }
        guard !arguments.isEmpty || experiment != nil else { throw ValidationError("give run ids or --experiment") }
        return
      }
      guard !arguments.isEmpty else { throw ValidationError("missing the output path OUT") }
      guard arguments.count > 1 || experiment != nil else { throw ValidationError("give run ids or --experiment") }
    }

    func run() throws {
      guard let exportFormat = RunExportFormat(rawValue: format) else {
        throw ValidationError("give the output path OUT and --format csv, json or mlflow")
      }
      let tracker = try RunsCommand.openTracker()
      let server = to.flatMap { URL(string: $0) }
      var runs = try (server == nil ? arguments.dropLast() : arguments[...]).map { try tracker.run(id: $0) }
      if let experiment {
        let listed = Set(runs.map(\.id))
        runs += try tracker.runs(RunQuery(experiment: experiment, sort: [RunSort(.attribute(.startTime))])).filter { !listed.contains($0.id) }
      }
      let plural = runs.count == 1 ? "" : "s"
      if let server {
        let mlflowIDs = try MLflowServerExport.export(runs, tracker: tracker, to: server)
        try emit(Outcome(lines: ["exported \(runs.count) run\(plural) to \(server.absoluteString)"]
                           + runs.compactMap { run in mlflowIDs[run.id].map { "  \(run.id) → MLflow run \($0)" } },
                         facts: ["server": .string(server.absoluteString), "format": .string(format),
                                 "runs": .object(mlflowIDs.mapValues(JSONValue.string))]), json: json)
        return
      }
      guard let last = arguments.last else { throw ValidationError("missing the output path OUT") }
      let output = URL(fileURLWithPath: last)
      try RunExport.write(runs, tracker: tracker, format: exportFormat, to: output)
      try emit(Outcome(lines: ["exported \(runs.count) run\(plural) to \(output.path)"],
                       facts: ["output": .string(output.path), "format": .string(format), "runs": .array(runs.map { .string($0.id) })]), json: json)
    }
  }

  struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Soft-delete a run: hidden from listings, kept in the store, recorded in the audit log.")

    @Argument(help: "The run id (or a unique prefix of it).") var id: String
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let tracker = try RunsCommand.openTracker()
      let record = try tracker.run(id: id)
      try tracker.deleteRun(id: record.id)
      try emit(Outcome(lines: ["deleted run \(record.id) (soft delete; see `kiln audit verify`)"],
                       facts: ["run_id": .string(record.id), "deleted": .bool(true)]), json: json)
    }
  }
}
