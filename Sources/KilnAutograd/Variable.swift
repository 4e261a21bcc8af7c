import KilnTensor

/// A tensor that may be recorded on a gradient tape.
///
/// A variable made with `Variable(_:)` is a constant: operations on constants record nothing, so code
/// outside `valueWithGradient` never pays for a tape. Inside `valueWithGradient`, the differentiated
/// inputs are tracked and every operation that touches a tracked variable appends one node to the
/// tape. `detached()` is the no-gradient scope: its result is a constant with the same value.
public struct Variable {
  /// The current value. Changing the value of a tracked variable does not change what the tape
  /// recorded; optimizers change the values of untracked parameters in place.
  public var value: Tensor
  /// The tape this variable is recorded on, or `nil` for a constant.
  let tape: Tape?
  /// This variable's node on `tape` (meaningless for constants).
  let index: Int

  /// A constant (untracked) variable.
  public init(_ value: Tensor) {
    self.value = value
    self.tape = nil
    self.index = -1
  }

  init(value: Tensor, tape: Tape, index: Int) {
    self.value = value
    self.tape = tape
    self.index = index
  }

  /// The shape of the value.
  public var shape: [Int] { value.shape }
  /// Whether this variable is recorded on a tape (gradients flow through it).
  public var isTracked: Bool { tape != nil }
  /// The same value as a constant: gradients stop here.
  public func detached() -> Variable { Variable(value) }
}
