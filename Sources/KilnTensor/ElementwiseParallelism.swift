import CKilnKernels

/// How element-wise passes over large tensors (an optimizer's update, a ReLU mask) share the cores
/// that the matrix products use. Below `minimumElements` a pass runs on the calling thread: the
/// hand-off would cost more than it saves. From there it is split into `BLASThreads.maximum`
/// contiguous parts, so a two-thread step does not leave one core idle between products.
/// Every element's arithmetic is the same at any part count, so results do not depend on it.
///
/// The parts run on the calling thread and on Kiln's own helper threads (`CKilnKernels/PartPool.c`),
/// which spin for 200 µs after a pass before they sleep: the passes of a training step come in
/// runs between products, and a spinning helper joins the next one at once, where a sleeping one
/// takes about 20 µs to wake on a virtual machine. `BLASThreads.prepare` sends them to sleep
/// (`parkHelpers`) before a product on several threads. A pass started inside a part, or while another thread's
/// pass holds the helpers, runs on its calling thread alone.
public enum ElementwiseParallelism {
  /// The fewest elements a pass needs before it is split (1 MiB of floats).
  public static let minimumElements = 1 << 18

  /// The parts a pass over `count` elements is split into.
  public static func parts(forElements count: Int) -> Int {
    parts(forElements: count, maximum: BLASThreads.maximum)
  }

  /// The parts a pass over `count` elements is split into with at most `maximum` threads.
  public static func parts(forElements count: Int, maximum: Int) -> Int {
    count >= minimumElements ? Swift.max(1, maximum) : 1
  }

  /// Calls `body` with each part's range of `0..<count`, concurrently when there are several parts.
  public static func forEachPart(of count: Int, _ body: (Range<Int>) -> Void) {
    forEachPart(parts(forElements: count)) { part, parts in body((count * part / parts)..<(count * (part + 1) / parts)) }
  }

  /// Sends the helpers that still spin after a pass to sleep, leaving the cores to other work;
  /// `BLASThreads.prepare` calls it before a product on several threads. One store.
  public static func parkHelpers() { kiln_parts_park() }

  /// Calls `body(part, parts)` for each of `parts` parts, on up to `parts` threads when there are
  /// several, and returns when all have run.
  public static func forEachPart(_ parts: Int, _ body: (_ part: Int, _ parts: Int) -> Void) {
    guard parts > 1 else { return body(0, 1) }
    withoutActuallyEscaping(body) { body in
      var closure = body
      withUnsafeMutablePointer(to: &closure) { pointer in
        kiln_parts_run(parts, parts, { context, part, parts in
          context?.assumingMemoryBound(to: ((Int, Int) -> Void).self).pointee(part, parts)
        }, pointer)
      }
    }
  }
}
