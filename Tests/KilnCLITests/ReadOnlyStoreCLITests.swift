import Foundation
import Testing

/// A store that cannot be written (an archived copy, a read-only mount) can still be read.
@Suite struct ReadOnlyStoreCLITests {
  /// Runs `kiln` as a user who cannot write the store: the test's own user after `chmod`, or, when
  /// the tests run as root (who may write anything), the unprivileged `nobody` through setpriv.
  func runKilnWithoutWriteAccess(_ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, stderr: String) {
    guard geteuid() == 0 else { return try runKiln(arguments, in: directory) }
    let kiln = productsDirectory().appendingPathComponent("kiln").path
    return try runCommand(URL(fileURLWithPath: "/usr/bin/setpriv"), ["--reuid=65534", "--regid=65534", "--clear-groups", kiln] + arguments, in: directory)
  }

  @Test func listingShowingAndVerifyingWorkOnAReadOnlyStoreAndWritesSaySo() throws {
    let project = try PromotableProject()
    let run = try project.run(accuracy: 0.85, auc: 0.9)
    let promoted = try runKiln(["promote", run, "--model", "adult", "--to", "production", "--approved-by", "ana"], in: project.root)
    #expect(promoted.status == 0, "\(promoted.stderr)")
    // Every process has closed the store, so its write-ahead log is gone; then nobody may write.
    let manager = FileManager.default
    var items = [project.root.path]
    if let enumerator = manager.enumerator(atPath: project.root.path) {
      while let item = enumerator.nextObject() as? String { items.append(project.root.appendingPathComponent(item).path) }
    }
    for path in items {
      var isDirectory: ObjCBool = false
      _ = manager.fileExists(atPath: path, isDirectory: &isDirectory)
      try manager.setAttributes([.posixPermissions: isDirectory.boolValue ? 0o555 : 0o444], ofItemAtPath: path)
    }
    defer {
      for path in items { try? manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path) }
    }

    let list = try runKilnWithoutWriteAccess(["runs", "list", "--json"], in: project.root)
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains(run))
    let show = try runKilnWithoutWriteAccess(["runs", "show", String(run.prefix(8))], in: project.root)
    #expect(show.status == 0, "\(show.stderr)")
    let models = try runKilnWithoutWriteAccess(["models", "list"], in: project.root)
    #expect(models.status == 0, "\(models.stderr)")
    #expect(models.stdout.contains("adult"))
    let verify = try runKilnWithoutWriteAccess(["audit", "verify"], in: project.root)
    #expect(verify.status == 0, "\(verify.stderr)")

    let delete = try runKilnWithoutWriteAccess(["runs", "delete", run], in: project.root)
    #expect(delete.status != 0)
    #expect(delete.stderr.contains("read-only"), "\(delete.stderr)")
  }
}
