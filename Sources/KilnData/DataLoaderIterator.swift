import Foundation

/// Yields an epoch's batches, read ahead on one dedicated I/O thread into a bounded queue.
///
/// Only the I/O thread reads the file (HDF5 and `pread`). Dropping the iterator early stops the
/// thread: the producer sees the cancellation before its next read and exits.
public final class DataLoaderIterator: IteratorProtocol {
  private let loader: DataLoader
  private let batches: [[Int]]
  private let queue: BoundedQueue<Batch>
  private var thread: Thread?
  private var position = 0
  private var reader: RowReader?

  init(loader: DataLoader, batches: [[Int]]) {
    self.loader = loader
    self.batches = batches
    queue = BoundedQueue(capacity: max(1, loader.configuration.prefetchDepth))
    loader.record(nil)
  }

  deinit {
    queue.cancel()
  }

  /// The largest number of batches that sat in the queue at once (at most `prefetchDepth`).
  var queueHighWaterMark: Int { queue.highWaterMark }

  public func next() -> Batch? {
    guard position < batches.count else { return nil }
    if loader.configuration.prefetchDepth == 0 { return readOnCallingThread() }
    if thread == nil { startThread() }
    guard let batch = queue.pop() else { return nil }
    position += 1
    return batch
  }

  private func readOnCallingThread() -> Batch? {
    do {
      if reader == nil { reader = try RowReader(dataset: loader.dataset, directReads: loader.configuration.directReads, cachedBlocks: loader.cachedBlocks) }
      let batch = try reader!.read(rows: batches[position])
      position += 1
      return batch
    } catch {
      loader.record(error)
      position = batches.count
      return nil
    }
  }

  private func startThread() {
    let loader = self.loader, batches = self.batches, queue = self.queue
    let thread = Thread {
      do {
        let reader = try RowReader(dataset: loader.dataset, directReads: loader.configuration.directReads, cachedBlocks: loader.cachedBlocks)
        for rows in batches {
          if queue.isCancelled { break }
          guard queue.push(try reader.read(rows: rows)) else { break }
        }
      } catch {
        loader.record(error)
      }
      queue.finish()
    }
    thread.name = "kiln.data.io"
    thread.stackSize = 1 << 20
    self.thread = thread
    thread.start()
  }
}

/// A first-in first-out queue of bounded capacity between one producer and one consumer.
final class BoundedQueue<Element>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [Element] = []
  private let capacity: Int
  private var finished = false
  private var cancelled = false
  private(set) var highWaterMark = 0

  init(capacity: Int) {
    precondition(capacity > 0, "BoundedQueue: capacity must be positive, got \(capacity)")
    self.capacity = capacity
  }

  var isCancelled: Bool {
    condition.lock()
    defer { condition.unlock() }
    return cancelled
  }

  /// Waits for room, then appends; returns false when the consumer has gone.
  func push(_ item: Element) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !cancelled { condition.wait() }
    guard !cancelled else { return false }
    items.append(item)
    highWaterMark = max(highWaterMark, items.count)
    condition.broadcast()
    return true
  }

  /// Waits for an item; `nil` once the producer has finished and the queue is empty.
  func pop() -> Element? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !finished && !cancelled { condition.wait() }
    guard !items.isEmpty else { return nil }
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }

  /// The producer is done.
  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// The consumer is gone: wake and release the producer, drop queued items.
  func cancel() {
    condition.lock()
    cancelled = true
    items.removeAll()
    condition.broadcast()
    condition.unlock()
  }
}
