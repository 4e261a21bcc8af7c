import Foundation
import KilnPostgresTestServer
import Testing
@testable import KilnTracking

/// A kind of store, opened fresh in a folder. The contract below runs once per entry of `all`:
/// a second store (a server database) is added by implementing `RunStore`, `ModelRegistryStore`
/// and `SweepTrialStore` and appending its factory here.
struct StoreFactory: Sendable, CustomTestStringConvertible {
  let name: String
  let open: @Sendable (_ directory: URL) throws -> any TrackingStore

  static let sqlite = StoreFactory(name: "SQLite") { try SQLiteTrackingStore(databaseFile: $0.appendingPathComponent("kiln.sqlite")) }
  /// A database of its own per folder on the test process's PostgreSQL server (started on first
  /// use; a server that cannot start fails the test with the reason).
  static let postgreSQL = StoreFactory(name: "PostgreSQL") {
    try PostgresTrackingStore(url: try PostgresTestServer.shared().database(for: $0.path))
  }
  /// Every store the contract runs against.
  static let all: [StoreFactory] = [.sqlite, .postgreSQL]

  var testDescription: String { name }

  /// A tracker over this kind of store in `directory` (a fresh folder when nil).
  func tracker(in directory: URL? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws -> Tracker {
    let directory = try directory ?? temporaryStoreDirectory()
    return Tracker(store: try open(directory), artifactsDirectory: directory.appendingPathComponent("artifacts", isDirectory: true),
                   clock: clock)
  }
}

/// What every store must do, whatever keeps it, seen through the store protocols only: runs and
/// their queries, names, the audit log, the model registry and sweep trials with leases. The
/// nested suites (one per file) make one suite, `swift test --filter StoreContractTests`.
/// What only the SQLite store has (its files, migrations and triggers) is tested beside it.
@Suite struct StoreContractTests {
  @Suite struct SweepTrials {
    /// A sweep run and its store.
    func sweep(_ kind: StoreFactory) throws -> (store: any TrackingStore, sweepRunID: String) {
      let tracker = try kind.tracker()
      return (tracker.store, try tracker.startRun(experiment: "sweep").id)
    }

    @Test(arguments: StoreFactory.all) func trialsAreNumberedFromZeroPerSweep(_ kind: StoreFactory) throws {
      let (store, sweepRunID) = try sweep(kind)
      let time = Date(timeIntervalSince1970: 1_800_000_000)
      let numbers = try (0..<3).map { _ in
        try store.insertSweepTrial(sweepRunID: sweepRunID, state: "running", payload: "{}", leaseOwner: nil, at: time).number
      }
      #expect(numbers == [0, 1, 2])
      let trials = try store.sweepTrials(sweepRunID: sweepRunID)
      #expect(trials.map(\.number) == [0, 1, 2] && trials.allSatisfy { $0.startTime == time && !$0.ready })
      #expect(try store.sweepTrial(sweepRunID: sweepRunID, number: 7) == nil)
    }

    @Test(arguments: StoreFactory.all) func anUpdateIsWrittenAndAnUnknownTrialNamed(_ kind: StoreFactory) throws {
      let (store, sweepRunID) = try sweep(kind)
      _ = try store.insertSweepTrial(sweepRunID: sweepRunID, state: "running", payload: "{}", leaseOwner: "a", at: Date())
      let written = try store.updateSweepTrial(sweepRunID: sweepRunID, number: 0) { row in
        row.state = "complete"
        row.value = 0.25
        row.payload = #"{"x":1}"#
      }
      #expect(try store.sweepTrial(sweepRunID: sweepRunID, number: 0) == written)
      #expect(written.value == 0.25 && written.state == "complete")
      let unknown = #expect(throws: TrackingError.self) { try store.updateSweepTrial(sweepRunID: sweepRunID, number: 5) { _ in } }
      #expect(unknown?.description.contains("has no trial 5") == true)
    }

    @Test(arguments: StoreFactory.all) func aClaimLeasesTheLowestReadyUnleasedTrialOnce(_ kind: StoreFactory) throws {
      let (store, sweepRunID) = try sweep(kind)
      let time = Date(timeIntervalSince1970: 1_800_000_000)
      for _ in 0..<3 { _ = try store.insertSweepTrial(sweepRunID: sweepRunID, state: "running", payload: "{}", leaseOwner: nil, at: time) }
      #expect(try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: "running", owner: "w1", host: "h", processID: 1, at: time) == nil)
      for number in [1, 2] { try store.updateSweepTrial(sweepRunID: sweepRunID, number: number) { $0.ready = true } }
      let first = try #require(try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: "running", owner: "w1", host: "h",
                                                        processID: 11, at: time + 5))
      #expect(first.number == 1 && first.leaseOwner == "w1" && first.leaseHost == "h" && first.leaseProcessID == 11)
      #expect(first.heartbeatTime == time + 5)
      let second = try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: "running", owner: "w2", host: "h", processID: 12, at: time)
      #expect(second?.number == 2)
      #expect(try store.claimSweepTrial(sweepRunID: sweepRunID, runningState: "running", owner: "w3", host: "h", processID: 13, at: time) == nil)
    }
  }
}
