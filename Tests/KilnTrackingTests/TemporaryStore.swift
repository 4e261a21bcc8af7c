import Foundation
@testable import KilnTracking

/// A fresh store directory under the system's temporary directory.
func temporaryStoreDirectory() throws -> URL {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("kiln-tracking-tests-\(UUID().uuidString)", isDirectory: true)
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  return directory
}

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
  private let lock = NSLock()
  private var current: Date
  init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }
  var now: Date { lock.lock(); defer { lock.unlock() }; return current }
  func advance(by seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}
