import Foundation
import KilnPaths
import KilnTracking

/// Files the UI hands out: a run's artifacts and the project's reports. A file is served only
/// when the path, with `..` resolved and every symbolic link followed, is still inside its root:
/// the store's rows and the reports folder are data, and data may have been tampered with.
enum ArtifactDownload {
  /// The content of the artifact `name` of run `runID`, as a download.
  static func response(_ application: UIApplication, runID: String, name: String) throws -> UIResponse {
    guard let artifact = try application.store.artifacts(runID: runID).first(where: { $0.name == name }) else {
      throw PageError.notFound("Run \(runID) has no artifact named \(name).")
    }
    // Content lives under sha256/ab/<digest>; a row naming anything else is not followed.
    let parts = artifact.storagePath.split(separator: "/").map(String.init)
    guard parts.count == 3, parts[0] == "sha256", parts[2].count == 64, parts[2].allSatisfy(\.isHexDigit),
          parts[1] == String(parts[2].prefix(2)) else {
      throw PageError(response: .text("refused: the store names an artifact location outside the artifact store\n", status: 403))
    }
    let data = try containedFile(under: application.artifactsDirectory, parts)
    let filename = name.split(separator: "/").last.map(String.init) ?? "artifact"
    let safeName = String(filename.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "_" })
    return UIResponse(contentType: "application/octet-stream",
                      headers: ["Content-Disposition": "attachment; filename=\"\(safeName)\""], body: data)
  }

  /// The bytes of `root/components…`, refused (403) when the path leaves `root` or passes
  /// through a symbolic link, not found (404) when there is no such regular file.
  static func containedFile(under root: URL, _ components: [String]) throws -> Data {
    let url: URL
    do { url = try ContainedPath.url(under: root, components) } catch {
      throw PageError(response: .text("refused: the path leaves its folder\n", status: 403))
    }
    let resolvedRoot = root.resolvingSymlinksInPath().standardizedFileURL
    var walked = root
    for component in components.flatMap({ $0.split(separator: "/").map(String.init) }) {
      walked.appendPathComponent(component)
      var status = stat()
      guard lstat(walked.path, &status) == 0 else { throw PageError.notFound("No such file.") }
      if status.st_mode & S_IFMT == S_IFLNK {
        throw PageError(response: .text("refused: the path passes through a symbolic link\n", status: 403))
      }
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
          (try? ContainedPath.checked(url.resolvingSymlinksInPath(), inside: resolvedRoot)) != nil,
          let data = FileManager.default.contents(atPath: url.path) else {
      throw PageError.notFound("No such file.")
    }
    return data
  }
}
