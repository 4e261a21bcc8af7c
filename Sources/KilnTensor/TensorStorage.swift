/// The heap buffer behind a `Tensor`: `count` Float32 scalars, 64-byte aligned so that
/// vectorised loops and BLAS see aligned rows. Large buffers are recycled through `BufferCache`.
///
/// Tensors share storage until one of them writes; the writer copies first unless it holds the only
/// reference (`isKnownUniquelyReferenced`). That is the whole copy-on-write contract.
public final class TensorStorage: @unchecked Sendable {
  /// The number of scalars.
  public let count: Int
  /// The first scalar.
  public let pointer: UnsafeMutablePointer<Float>

  /// Allocates `count` uninitialised scalars.
  public init(uninitializedCount count: Int) {
    precondition(count >= 0, "TensorStorage: count \(count) must not be negative")
    self.count = count
    let raw = BufferCache.shared.allocate(byteCount: TensorStorage.byteCount(for: count))
    pointer = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
  }

  /// Allocates `count` scalars all equal to `value`.
  public convenience init(count: Int, repeating value: Float) {
    self.init(uninitializedCount: count)
    pointer.initialize(repeating: value, count: count)
  }

  /// A new storage holding a copy of these scalars.
  public func copy() -> TensorStorage {
    let result = TensorStorage(uninitializedCount: count)
    result.pointer.update(from: pointer, count: count)
    return result
  }

  static func byteCount(for count: Int) -> Int { Swift.max(count, 1) * MemoryLayout<Float>.stride }

  deinit {
    BufferCache.shared.release(UnsafeMutableRawPointer(pointer), byteCount: TensorStorage.byteCount(for: count))
  }
}
