import Foundation
import KilnPaths
import KilnReport
import KilnTracking
import KilnConfiguration
import KilnTraining
import KilnEvaluation

extension PromotionWorkflow {
  /// Checks that the reports of `model` can be written — `reports/MODEL/` exists or can be made
  /// inside `reports/`, and takes a file — so a version is never registered into a folder that
  /// will refuse its model card.
  /// - Throws: `NameError` for a model name that breaks the naming rule; `ReportError` naming
  ///   the folder and the reason.
  static func checkReportsWritable(model: String, layout: ProjectLayout) throws {
    _ = try Name(model, kind: .model)
    let folder = try ContainedPath.url(under: layout.reportsDirectory, [model], isDirectory: true)
    let probe = folder.appendingPathComponent(".write-check-\(UUID().uuidString)")
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try Data().write(to: probe)
      try FileManager.default.removeItem(at: probe)
    } catch {
      throw ReportError("cannot write the reports of \(model) under \(folder.path): \(error.localizedDescription); nothing was registered",
                        hint: "make \(layout.reportsDirectory.path) a writable folder and run again")
    }
  }

  /// Writes the reports of every version of `model` registered without them — a process killed
  /// between registering and writing, or a disk that filled up — from the run's stored card
  /// input and evaluation, gated as now. A version counts as reported once its `promotion.json`
  /// exists (the last file `ReportWriter` writes).
  /// - Returns: the versions finished.
  @discardableResult
  static func finishUnreportedVersions(model: String, tracker: Tracker, registry: any ModelRegistryStore,
                                       layout: ProjectLayout) throws -> [Int] {
    var finished: [Int] = []
    for version in try registry.modelVersions(model: model) {
      let directory = ReportWriter.directory(reportsDirectory: layout.reportsDirectory, model: model, version: version.version)
      guard !FileManager.default.fileExists(atPath: directory.appendingPathComponent("promotion.json").path) else { continue }
      let run = try tracker.run(id: version.runID)
      let configuration = try configuration(of: run)
      let report = try gateReport(run: run, configuration: configuration, model: model, tracker: tracker, registry: registry,
                                  rejectWithoutGates: true)
      _ = try writeReports(version: version, report: report, run: run, configuration: configuration, approval: nil,
                           overrideReason: nil, card: nil, tracker: tracker, layout: layout)
      finished.append(version.version)
    }
    return finished
  }
}
