import KilnTensor
import Testing

@Suite struct BLASThreadsTests {
  @Test func smallProductsRunOnOneThreadAndLargeOnesOnAll() {
    let threshold = 1 << 24
    // A training step's products (256 rows × 104 inputs × 64 units) stay on one thread.
    #expect(BLASThreads.threads(forMultiplyAdds: 256 * 104 * 64, maximum: 2, threshold: threshold) == 1)
    #expect(BLASThreads.threads(forMultiplyAdds: threshold - 1, maximum: 2, threshold: threshold) == 1)
    #expect(BLASThreads.threads(forMultiplyAdds: threshold, maximum: 2, threshold: threshold) == 2)
    #expect(BLASThreads.threads(forMultiplyAdds: 1024 * 1024 * 1024, maximum: 4, threshold: threshold) == 4)
  }

  @Test func oneThreadAtMostMeansOneThreadAlways() {
    #expect(BLASThreads.threads(forMultiplyAdds: 1 << 40, maximum: 1, threshold: 1 << 24) == 1)
    #expect(BLASThreads.threads(forMultiplyAdds: 1 << 40, maximum: 0, threshold: 1 << 24) == 1)
  }

  @Test func aZeroThresholdLeavesEveryProductToAllThreads() {
    #expect(BLASThreads.threads(forMultiplyAdds: 1, maximum: 2, threshold: 0) == 2)
  }

  @Test func openBLASHelperThreadsSleepAsSoonAsAProductEnds() {
    #expect(BLASThreads.helpersSleepWhenIdle,
            "OpenBLAS's helper threads still spin between products (is OPENBLAS_THREAD_TIMEOUT set?)")
  }

  @Test func theDefaultThresholdIsTheMeasuredOne() {
    // 256³: from this size two threads paid for the hand-off on the benchmark machine.
    #expect(BLASThreads.parallelMultiplyAdds == 256 * 256 * 256)
  }
}
