import ArgumentParser
import Foundation
import KilnTracking
import KilnData
import KilnTraining

/// `kiln dataset import|inspect|validate|export|synthesize`.
struct DatasetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "dataset",
    abstract: "Import raw files into Kiln datasets, profile them and check them.",
    subcommands: [Import.self, Inspect.self, Validate.self, Export.self, Synthesize.self]
  )

  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import raw files as a recipe describes (writes NAME.h5 beside the recipe).")

    @Argument(help: "A recipe file (datasets/NAME/dataset.yaml) or a dataset name.")
    var recipe: String

    @Option(name: .shortAndLong, help: "Where to write the dataset (default: NAME.h5 beside the recipe).")
    var output: String?

    @Flag(help: "Print the import report as JSON.")
    var json = false

    func run() throws {
      let report = try DatasetWorkflow.importDataset(recipe: recipe, output: output, layout: .discover())
      try emit(report, json: json)
    }
  }

  struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Profile a dataset: columns, label balance per group and intersection, duplicates, fingerprint.")

    @Argument(help: "A Kiln dataset file (.h5).")
    var file: String

    @Flag(help: "Print the profile as JSON.")
    var json = false

    func run() throws {
      let profile = try DatasetWorkflow.inspect(path: file)
      try emit(profile, json: json)
    }
  }

  struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a dataset file against the format; exits non-zero listing every problem.")

    @Argument(help: "A Kiln dataset file (.h5).")
    var file: String

    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
      let problems = DatasetWorkflow.validate(path: file)
      guard problems.isEmpty else { throw DatasetValidationError(path: file, problems: problems) }
      try emit(Outcome(lines: ["\(file): valid \(KilnDatasetFormat.formatString) dataset"],
                       facts: ["file": .string(file), "valid": .bool(true), "format": .string(KilnDatasetFormat.formatString)]), json: json)
    }
  }
}

extension DatasetCommand {
  struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a split's raw rows as they were in the source files, after a header naming the columns.",
      discussion: """
        Rows come from the raw file and line each stored row records, in stored order; the raw files \
        must be unchanged since the import. The output is laid out like the imported files, so it can \
        be fed to `kiln monitor --labelled`, `kiln drift --current` or `kiln compare-models --input`.
        """)

    @Argument(help: "A Kiln dataset file (.h5).")
    var file: String

    @Option(help: "The split to export (train, validation or test).")
    var split: String

    @Option(name: .shortAndLong, help: "Where to write the rows (default: standard output).")
    var output: String?

    @Flag(help: "Print the summary of the written file as JSON (needs --output).") var json = false

    func validate() throws {
      if json, output == nil { throw ValidationError("--json prints the summary of a written file; give --output FILE") }
    }

    func run() throws {
      let export = try DatasetWorkflow.export(path: file, split: split, output: output)
      guard let output else {
        FileHandle.standardOutput.write(Data(export.text.utf8))
        return
      }
      try emit(Outcome(lines: ["\(output): \(export.lines.count) raw rows of split '\(split)' from \(export.files.joined(separator: ", "))"],
                       facts: ["output": .string(output), "split": .string(split), "rows": .number(Double(export.lines.count)),
                               "files": .array(export.files.map(JSONValue.string))]), json: json)
    }
  }

  struct Synthesize: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write a generated task (noise features, a sensitive attribute `group`) as a Kiln dataset: binary two moons, three multiclass blobs, or a regression target.")

    @Argument(help: "The dataset file to write (.h5).")
    var output: String

    @Option(help: "Number of rows.")
    var rows = 2_000

    @Option(help: "Gaussian noise features after the two informative ones.")
    var noiseFeatures = 6

    @Option(help: "The generator's seed.")
    var seed: UInt64 = 1

    @Option(help: "The label kind: binary (two moons), multiclass (three blobs) or regression.")
    var kind = "binary"

    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
      guard LabelKind(rawValue: kind) != nil else {
        throw ValidationError("--kind must be binary, multiclass or regression, found \(kind)")
      }
      guard rows >= 20 else { throw ValidationError("--rows must be at least 20, found \(rows)") }
      guard noiseFeatures >= 0 else { throw ValidationError("--noise-features must be non-negative, found \(noiseFeatures)") }
    }

    func run() throws {
      let url = URL(fileURLWithPath: output)
      guard let labelKind = LabelKind(rawValue: kind) else {
        throw ValidationError("--kind must be binary, multiclass or regression, not '\(kind)'")
      }
      let fingerprint = try SyntheticTask.write(to: url, kind: labelKind, rows: rows, noiseFeatures: noiseFeatures, seed: seed)
      try emit(Outcome(lines: ["\(output): \(rows) rows, \(2 + noiseFeatures) features, fingerprint \(fingerprint)"],
                       facts: ["file": .string(output), "rows": .number(Double(rows)), "features": .number(Double(2 + noiseFeatures)),
                               "kind": .string(kind), "fingerprint": .string(fingerprint)]), json: json)
    }
  }
}
