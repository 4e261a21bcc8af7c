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
