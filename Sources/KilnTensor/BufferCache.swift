import Foundation

/// Keeps recently freed large tensor buffers for reuse.
///
/// A training step allocates and frees the same large activations and gradients every time. Returning
/// them to the system and asking again costs page faults and zero-filling by the kernel (several per
/// cent of a 1024-wide MLP step); reusing them costs a dictionary lookup under a lock. Only buffers of
/// at least `minimumBytes` are cached, at most `buffersPerSize` per size and `capacityBytes` in all,
/// so memory held back stays bounded. Buffer contents are never relied on: storage created
/// "uninitialised" is fully written by its creator.
final class BufferCache: @unchecked Sendable {
  static let shared = BufferCache()
  static let minimumBytes = 1 << 16
  static let capacityBytes = 1 << 27
  static let buffersPerSize = 8
  static let alignment = 64

  private let lock = NSLock()
  private var buffers: [Int: [UnsafeMutableRawPointer]] = [:]
  private var cachedBytes = 0

  /// A buffer of `byteCount` bytes, reused when one of that size is cached.
  func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
    if byteCount >= BufferCache.minimumBytes {
      lock.lock()
      let reused = buffers[byteCount]?.popLast()
      if reused != nil { cachedBytes -= byteCount }
      lock.unlock()
      if let reused { return reused }
    }
    return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: BufferCache.alignment)
  }

  /// Takes back a buffer from `allocate(byteCount:)`: cached if there is room, else freed.
  func release(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
    if byteCount >= BufferCache.minimumBytes {
      lock.lock()
      let fits = cachedBytes + byteCount <= BufferCache.capacityBytes
        && buffers[byteCount, default: []].count < BufferCache.buffersPerSize
      if fits {
        buffers[byteCount, default: []].append(pointer)
        cachedBytes += byteCount
      }
      lock.unlock()
      if fits { return }
    }
    pointer.deallocate()
  }
}
