import KilnTensor
/// The gradient of a loss with respect to every parameter of a module, in the module's parameter
/// order and under the same dotted paths.
public struct Gradients: Sendable {
  /// The parameter paths, in the module's order.
  public let paths: [String]
  /// One gradient per path, shaped like its parameter.
  public var tensors: [Tensor]

  public init(paths: [String], tensors: [Tensor]) {
    precondition(paths.count == tensors.count,
                 "Gradients: \(paths.count) paths for \(tensors.count) tensors")
    self.paths = paths
    self.tensors = tensors
  }

  /// The gradient of the parameter at `path`, if there is one.
  public subscript(path: String) -> Tensor? {
    paths.firstIndex(of: path).map { tensors[$0] }
  }

  /// The total number of scalars.
  public var scalarCount: Int { tensors.reduce(0) { $0 + $1.scalarCount } }

  /// All gradients concatenated in parameter order into one buffer (for an allreduce).
  public func flattened() -> Tensor {
    var offset = 0
    return Tensor.make(shape: [scalarCount]) { out in
      for tensor in tensors {
        tensor.withUnsafeBufferPointer { source in
          guard let base = source.baseAddress else { return }
          (out.baseAddress! + offset).update(from: base, count: source.count)
        }
        offset += tensor.scalarCount
      }
    }
  }

  /// Replaces every gradient with its slice of `flat` (the inverse of `flattened()`).
  public mutating func assign(flattened flat: Tensor) {
    precondition(flat.scalarCount == scalarCount,
                 "Gradients.assign(flattened:): \(flat.scalarCount) scalars for \(scalarCount) gradients")
    var offset = 0
    flat.withUnsafeBufferPointer { source in
      for index in tensors.indices {
        let count = tensors[index].scalarCount
        tensors[index] = Tensor(shape: tensors[index].shape,
                                scalars: Array(source[offset..<(offset + count)]))
        offset += count
      }
    }
  }

  /// √(Σ over all gradients of Σ g²), accumulated in Double.
  public func globalNorm() -> Float {
    var total = 0.0
    for tensor in tensors {
      tensor.withUnsafeBufferPointer { values in
        var partial: Float = 0
        for value in values { partial += value * value }
        total += Double(partial)
      }
    }
    return Float(total.squareRoot())
  }

  /// Multiplies every gradient by `factor` (in place when unshared).
  public mutating func scale(by factor: Float) {
    for index in tensors.indices { tensors[index] *= factor }
  }
}
