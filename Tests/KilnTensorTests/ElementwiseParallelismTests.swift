import Dispatch
import KilnTensor
import Testing

@Suite struct ElementwiseParallelismTests {
  @Test func smallPassesStayOnTheCallingThreadAndLargeOnesUseEveryBLASThread() {
    let minimum = ElementwiseParallelism.minimumElements
    #expect(ElementwiseParallelism.parts(forElements: minimum - 1, maximum: 2) == 1)
    #expect(ElementwiseParallelism.parts(forElements: minimum, maximum: 2) == 2)
    #expect(ElementwiseParallelism.parts(forElements: 1 << 30, maximum: 1) == 1)
    #expect(ElementwiseParallelism.parts(forElements: 1 << 30, maximum: 0) == 1)
  }

  @Test(arguments: [1, 2, 3, 7])
  func thePartsCoverEveryElementOnce(parts: Int) {
    let count = 1_000_003
    let hits = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
    defer { hits.deallocate() }
    hits.initialize(repeating: 0)
    ElementwiseParallelism.forEachPart(parts) { part, total in
      #expect(total == parts)
      for index in (count * part / total)..<(count * (part + 1) / total) { hits[index] += 1 }
    }
    #expect(hits.allSatisfy { $0 == 1 })
  }
}

/// The helper threads behind `forEachPart` (CKilnKernels/PartPool.c): every part of every pass runs
/// exactly once, whatever the interleaving of passes, of sleeping helpers and of callers.
@Suite(.serialized) struct PartPoolTests {
  /// Counts, per pass and part, how often each part ran.
  final class Tally: @unchecked Sendable {
    let counts: UnsafeMutableBufferPointer<Int>
    let parts: Int
    init(passes: Int, parts: Int) {
      counts = .allocate(capacity: passes * parts)
      counts.initialize(repeating: 0)
      self.parts = parts
    }
    deinit { counts.deallocate() }
    func run(pass: Int) {
      ElementwiseParallelism.forEachPart(parts) { part, total in
        #expect(total == parts)
        counts[pass * parts + part] += 1
      }
    }
    var everyPartOnce: Bool { counts.allSatisfy { $0 == 1 } }
  }

  /// Passes back to back reach helpers that are still spinning; sending them to sleep, as
  /// `BLASThreads.prepare` does before a product on several threads, makes the next pass wake
  /// them. (Not through `prepare` itself: OpenBLAS's thread count is the whole process's, and
  /// suites run in parallel.)
  @Test(arguments: [2, 3, 5])
  func everyPartOfManyPassesRunsOnce(parts: Int) {
    let passes = 20_000
    let tally = Tally(passes: passes, parts: parts)
    for pass in 0..<passes {
      if pass % 7 == 0 { ElementwiseParallelism.parkHelpers() }
      tally.run(pass: pass)
    }
    #expect(tally.everyPartOnce)
  }

  /// Several threads passing at once: one holds the helpers, the others run their parts inline.
  @Test func passesFromSeveralThreadsEachRunEveryPartOnce() {
    let callers = 4, passes = 2_000
    let tallies = (0..<callers).map { _ in Tally(passes: passes, parts: 3) }
    DispatchQueue.concurrentPerform(iterations: callers) { caller in
      for pass in 0..<passes { tallies[caller].run(pass: pass) }
    }
    #expect(tallies.allSatisfy { $0.everyPartOnce })
  }

  /// A pass started inside a part runs inline on that part's thread instead of waiting for the
  /// helpers it is running on.
  @Test func aPassInsideAPartRunsInline() {
    let outer = 3, inner = 4
    let tallies = (0..<outer).map { _ in Tally(passes: 1, parts: inner) }
    ElementwiseParallelism.forEachPart(outer) { part, _ in tallies[part].run(pass: 0) }
    #expect(tallies.allSatisfy { $0.everyPartOnce })
  }
}
