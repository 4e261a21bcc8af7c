import Foundation
import Testing
@testable import KilnHDF5

/// How open files behave towards child processes.
@Suite struct HDF5FileDescriptorTests {
  @Test func openFilesAreNotInheritedByChildProcesses() throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let created = try HDF5File.create(at: directory.file("created.h5"))
    try created.root.createDataset("values", values: [Float(1)])
    try created.flush()
    let copy = directory.file("opened.h5")
    try FileManager.default.copyItem(at: directory.file("created.h5"), to: copy)
    let opened = try HDF5File.open(copy)
    for url in [directory.file("created.h5"), copy] {
      let flags = try #require(descriptorFlags(openedOn: url), "no descriptor is open on \(url.path)")
      #expect(flags & Int(O_CLOEXEC) != 0, "\(url.lastPathComponent) is open without close-on-exec (flags \(String(flags, radix: 8)))")
    }
    try opened.close()
    try created.close()
  }

  /// The `flags` line of `/proc/self/fdinfo` for the descriptor open on `url`.
  private func descriptorFlags(openedOn url: URL) -> Int? {
    let target = url.resolvingSymlinksInPath().path
    guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return nil }
    for descriptor in descriptors {
      guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)"),
            destination == target,
            let info = try? String(contentsOfFile: "/proc/self/fdinfo/\(descriptor)", encoding: .utf8),
            let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags:") })
      else { continue }
      return Int(line.dropFirst("flags:".count).trimmingCharacters(in: .whitespaces), radix: 8)
    }
    return nil
  }
}
