import CKilnKernels
import COpenBLAS
import Foundation
import Synchronization

/// How many OpenBLAS threads each matrix product runs on.
///
/// OpenBLAS splits every product of more than 262,144 multiply-adds (m·n·k) across all its threads.
/// A training step of a small model is a string of products of a few million multiply-adds each
/// (a batch of 256 rows through 104 → 64 units is 1.7 M), with element-wise work and the data
/// loader's read-ahead thread in between. Handing half of such a product to a second thread saves
/// little, and after each one the helper thread spins on its core (`sched_yield`) for a while,
/// taking it from the loader and the element-wise work: with OpenBLAS's two threads the shipped
/// experiments trained at 0.09–0.40× the speed of one thread. So Kiln decides per product: one
/// thread below `parallelMultiplyAdds`, `maximum` threads from there on, where a product is large
/// enough to pay for the hand-off (a 256³ product ran 1.7× faster on two threads than on one).
/// BENCHMARKS.md ("BLAS threads by size") has the measurements. `KILN_BLAS_PARALLEL_MIN` (a count of
/// multiply-adds) moves the threshold; 0 gives every product OpenBLAS's own choice.
///
/// As the process loads, the helper threads are also told to sleep as soon as a product ends
/// (`helpersSleepWhenIdle`) instead of spinning on their cores for about 0.1 s, where they took
/// time from the element-wise passes between large products. `OPENBLAS_THREAD_TIMEOUT`, when the
/// user sets it, stands.
public enum BLASThreads {
  /// The fewest multiply-adds (m·n·k) a product needs to run on more than one thread.
  public static let parallelMultiplyAdds: Int = {
    if let text = ProcessInfo.processInfo.environment["KILN_BLAS_PARALLEL_MIN"], let value = Int(text), value >= 0 {
      return value
    }
    return 1 << 24
  }()

  /// The most threads a product runs on: OpenBLAS's own count when it loaded (`OPENBLAS_NUM_THREADS`,
  /// or one per core) unless set here.
  public static var maximum: Int {
    get {
      let value = maximumSetting.load(ordering: .relaxed)
      return value > 0 ? value : initialThreads
    }
    set { maximumSetting.store(Swift.max(1, newValue), ordering: .relaxed) }
  }

  /// The thread count for a product of `multiplyAdds`: one below `threshold`, `maximum` from there on.
  public static func threads(forMultiplyAdds multiplyAdds: Int, maximum: Int, threshold: Int) -> Int {
    multiplyAdds >= threshold ? Swift.max(1, maximum) : 1
  }

  /// Sets OpenBLAS's thread count for a product of `multiplyAdds` (m·n·k), calling into OpenBLAS only
  /// when the count changes. For a product on several threads it also sends the helpers of
  /// `ElementwiseParallelism` that still spin after a pass to sleep, leaving the cores to
  /// OpenBLAS: call it right before the product. `Tensor`'s products call it; code calling BLAS
  /// directly calls it too. The count is compared and set under one lock, so threads preparing
  /// products at once cannot leave OpenBLAS on a count other than the one recorded here.
  public static func prepare(multiplyAdds: Int) {
    let wanted = threads(forMultiplyAdds: multiplyAdds, maximum: maximum, threshold: parallelMultiplyAdds)
    if wanted > 1 { ElementwiseParallelism.parkHelpers() }
    current.withLock { count in
      if count != wanted {
        kiln_openblas_set_threads(Int32(wanted))
        count = wanted
      }
    }
  }

  /// Whether OpenBLAS's helper threads were told, as the process loaded, to sleep as soon as a
  /// product ends (`CKilnKernels/OpenBLASThreads.c`).
  public static var helpersSleepWhenIdle: Bool { kiln_openblas_helpers_sleep_when_idle() == 1 }

  /// OpenBLAS's thread count when this type first asked, before it set any.
  private static let initialThreads = Int(kiln_openblas_threads())
  /// The maximum set through `maximum`; 0 until then.
  private static let maximumSetting = Atomic<Int>(0)
  /// The count last given to OpenBLAS; 0 before the first product.
  private static let current = Mutex<Int>(0)
}
