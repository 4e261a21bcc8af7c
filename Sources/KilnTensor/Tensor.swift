/// A dense, row-major, Float32 n-dimensional array with value semantics.
///
/// A tensor is a shape, strides and a copy-on-write `TensorStorage`. Freshly computed tensors are
/// contiguous (strides are the row-major strides of the shape); `transposed` and `permuted(_:)`
/// return views that only reorder strides, so that `matmul` can hand a transpose to BLAS as a flag
/// instead of copying. Every other operation reads its operands through `contiguous()`, which is free
/// for contiguous tensors.
public struct Tensor: @unchecked Sendable {
  @usableFromInline var storage: TensorStorage
  /// The extent of each dimension; `[]` for a scalar.
  public private(set) var shape: [Int]
  /// Explicit strides of a view; `nil` means row-major (the common case, which then costs no
  /// allocation and no comparison).
  @usableFromInline var viewStrides: [Int]?

  /// The distance, in scalars, between neighbours along each dimension.
  public var strides: [Int] { viewStrides ?? Tensor.contiguousStrides(for: shape) }

  /// Wraps `storage` with `shape` and row-major strides.
  public init(shape: [Int], storage: TensorStorage) {
    let count = Tensor.scalarCount(of: shape)
    precondition(storage.count == count,
                 "Tensor: shape \(shape) needs \(count) scalars, storage holds \(storage.count)")
    self.storage = storage
    self.shape = shape
    self.viewStrides = nil
  }

  /// A view of `storage` with explicit strides (a permutation of a contiguous layout).
  init(shape: [Int], strides: [Int], storage: TensorStorage) {
    self.storage = storage
    self.shape = shape
    self.viewStrides = strides == Tensor.contiguousStrides(for: shape) ? nil : strides
  }

  /// A tensor of `shape` whose scalars are `scalars` in row-major order.
  public init(shape: [Int], scalars: [Float]) {
    let count = Tensor.scalarCount(of: shape)
    precondition(scalars.count == count,
                 "Tensor(shape:scalars:): shape \(shape) needs \(count) scalars, got \(scalars.count)")
    let storage = TensorStorage(uninitializedCount: count)
    scalars.withUnsafeBufferPointer { source in
      if count > 0 { storage.pointer.initialize(from: source.baseAddress!, count: count) }
    }
    self.init(shape: shape, storage: storage)
  }

  /// A one-dimensional tensor holding `scalars`.
  public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

  /// A rank-0 tensor holding `value`.
  public init(_ value: Float) { self.init(shape: [], scalars: [value]) }

  /// A tensor of `shape` whose scalars are written by `body` (which must write all of them).
  @inlinable
  public static func make(
    shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void
  ) -> Tensor {
    let storage = TensorStorage(uninitializedCount: scalarCount(of: shape))
    body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    return Tensor(shape: shape, storage: storage)
  }

  /// The number of dimensions.
  public var rank: Int { shape.count }
  /// The number of scalars.
  public var scalarCount: Int { storage.count }
  /// Whether the strides are the row-major strides of the shape.
  public var isContiguous: Bool { viewStrides == nil }

  /// The scalars in row-major order (a copy).
  public var scalars: [Float] {
    withUnsafeBufferPointer { Array($0) }
  }

  /// The only scalar of a one-element tensor.
  public var scalar: Float {
    precondition(scalarCount == 1, "Tensor.scalar: shape \(shape) holds \(scalarCount) scalars, not 1")
    return storage.pointer[0]
  }

  /// Calls `body` with the scalars in row-major order (copying first only if this is a strided view).
  @inlinable
  public func withUnsafeBufferPointer<R>(
    _ body: (UnsafeBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    let source = contiguous()
    return try withExtendedLifetime(source) {
      try body(UnsafeBufferPointer(start: source.storage.pointer, count: source.storage.count))
    }
  }

  /// Calls `body` with writable scalars in row-major order, copying first if the storage is shared
  /// or this is a strided view.
  @inlinable
  public mutating func withUnsafeMutableBufferPointer<R>(
    _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
  ) rethrows -> R {
    makeUniqueAndContiguous()
    return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
  }

  /// Ensures this tensor holds the only reference to contiguous storage.
  @usableFromInline
  mutating func makeUniqueAndContiguous() {
    if !isContiguous {
      self = contiguous()
    } else if !isKnownUniquelyReferenced(&storage) {
      storage = storage.copy()
    }
  }

  /// Whether this tensor is the only owner of its storage (then in-place updates do not copy).
  public mutating func isUniquelyReferenced() -> Bool { isKnownUniquelyReferenced(&storage) }

  /// The number of scalars in a tensor of `shape`.
  @inlinable
  public static func scalarCount(of shape: [Int]) -> Int {
    var count = 1
    for extent in shape {
      precondition(extent >= 0, "Tensor: shape \(shape) has a negative extent")
      count *= extent
    }
    return count
  }

  /// Row-major strides of `shape`.
  public static func contiguousStrides(for shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
      strides[axis] = running
      running *= shape[axis]
    }
    return strides
  }
}

extension Tensor: Equatable {
  /// Equal shapes and bit-for-bit equal scalars (NaN is never equal).
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let preview = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
    return "Tensor(shape: \(shape), scalars: [\(preview)\(scalarCount > 8 ? ", …" : "")])"
  }
}
