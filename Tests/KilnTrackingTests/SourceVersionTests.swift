import Foundation
import Testing
@testable import KilnTracking

@Suite struct SourceVersionTests {
  func git(_ arguments: [String], in directory: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-c", "user.name=Kiln Tests", "-c", "user.email=tests@example.invalid"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "git \(arguments.joined(separator: " ")) failed")
  }

  @Test func theCommitAndDirtinessOfARepositoryAreDetected() throws {
    let directory = try temporaryStoreDirectory()
    try git(["init", "-q"], in: directory)
    let file = directory.appendingPathComponent("experiment.yaml")
    try Data("name: adult\n".utf8).write(to: file)
    try git(["add", "experiment.yaml"], in: directory)
    try git(["commit", "-q", "-m", "first"], in: directory)
    let clean = try #require(SourceVersion.detect(in: directory))
    #expect(clean.commit.count == 40)
    #expect(!clean.isDirty)
    try Data("name: credit\n".utf8).write(to: file)
    let dirty = try #require(SourceVersion.detect(in: directory))
    #expect(dirty.commit == clean.commit)
    #expect(dirty.isDirty)
  }

  @Test func aDirectoryOutsideARepositoryHasNoSourceVersion() throws {
    #expect(SourceVersion.detect(in: URL(fileURLWithPath: "/")) == nil)
  }
}
