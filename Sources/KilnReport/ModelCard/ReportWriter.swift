import KilnOutput
import Foundation
import KilnPaths

/// A report file that could not be written.
public struct ReportError: KilnError, Sendable {
  public let message: String
  public let hint: String?
  public init(_ message: String, hint: String? = nil) {
    self.message = message
    self.hint = hint
  }
}

/// Writes a model version's reports under `reports/MODEL/vN/`, each file atomically (a temporary
/// file in the same directory, then a rename), so a reader never sees half a report.
public enum ReportWriter {
  /// The report files, by name.
  public static let fileNames = ["model-card.md", "model-card.html", "model-card.json", "promotion.json"]

  /// `reports/MODEL/vN/` under `reportsDirectory`.
  public static func directory(reportsDirectory: URL, model: String, version: Int) -> URL {
    reportsDirectory.appendingPathComponent(model, isDirectory: true).appendingPathComponent("v\(version)", isDirectory: true)
  }

  /// Renders and writes the four report files.
  /// - Returns: the files written, in `fileNames` order.
  @discardableResult
  public static func write(card: ModelCardInput, promotion: PromotionRecord, reportsDirectory: URL) throws -> [URL] {
    let directory = try ContainedPath.checked(directory(reportsDirectory: reportsDirectory, model: card.modelName, version: card.version),
                                              inside: reportsDirectory)
    let contents = [ModelCardRenderer.markdown(card), ModelCardRenderer.html(card), ModelCardRenderer.json(card), promotion.json()]
    return try zip(fileNames, contents).map { name, text in
      let url = directory.appendingPathComponent(name)
      try writeAtomically(text, to: url)
      return url
    }
  }

  /// Writes `text` to a temporary file beside `url`, then renames it over `url`.
  public static func writeAtomically(_ text: String, to url: URL) throws {
    let directory = url.deletingLastPathComponent()
    TemporaryFile.removeAbandoned(besides: url)
    let temporary = TemporaryFile.beside(url)
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: temporary)
      guard rename(temporary.path, url.path) == 0 else {
        throw ReportError("cannot move \(temporary.path) to \(url.path): \(String(cString: strerror(errno)))")
      }
    } catch let error as ReportError {
      try? FileManager.default.removeItem(at: temporary)
      throw error
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw ReportError("cannot write \(url.path): \(error.localizedDescription)", hint: "check that the reports directory is writable")
    }
  }
}
