import CKilnKernels

/// The training step's largest element-wise loops, in C (`Sources/CKilnKernels`) so that the AVX2
/// version runs where the processor has it; Swift code is compiled for baseline x86-64. Both
/// versions give the same bits. Each call covers one part of a pass; the caller splits the pass
/// (`ElementwiseParallelism`).
public enum ElementwiseKernels {
  /// Adam's constants for one step of one parameter (see `kiln_adam_update`).
  public struct AdamConstants: Sendable {
    public var beta1: Float, beta2: Float, epsilon: Float, rate: Float, l2: Float, shrink: Float
    public var firstCorrection: Float, secondCorrection: Float, flushThreshold: Float

    public init(beta1: Float, beta2: Float, epsilon: Float, rate: Float, l2: Float, shrink: Float,
                firstCorrection: Float, secondCorrection: Float, flushThreshold: Float) {
      (self.beta1, self.beta2, self.epsilon, self.rate, self.l2, self.shrink) = (beta1, beta2, epsilon, rate, l2, shrink)
      (self.firstCorrection, self.secondCorrection, self.flushThreshold) = (firstCorrection, secondCorrection, flushThreshold)
    }
  }

  /// Adam's update of the elements in `range`: the moments and the parameter in place.
  public static func adamUpdate(
    _ range: Range<Int>, _ constants: AdamConstants, gradient: UnsafePointer<Float>,
    firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>,
    parameter: UnsafeMutablePointer<Float>
  ) {
    let start = range.lowerBound, c = constants
    kiln_adam_update(range.count, gradient + start, firstMoment + start, secondMoment + start, parameter + start,
                     c.beta1, c.beta2, c.epsilon, c.rate, c.l2, c.shrink, c.firstCorrection, c.secondCorrection,
                     c.flushThreshold)
  }

  /// max(x, 0) in place over `count` values (NaN becomes 0).
  public static func reluInPlace(_ values: UnsafeMutablePointer<Float>, count: Int) {
    kiln_relu_in_place(count, values)
  }

  /// For every row of a row-major [rows, columns] matrix and the columns in `columnRange`: the
  /// gradient where the activation is positive, else 0, into `result`; and, when `sums` is given,
  /// each column's running sum over the rows in order. `result` may be `gradient` (in place).
  public static func maskedRows(
    rows: Int, columns: Int, columnRange: Range<Int>, gradient: UnsafePointer<Float>,
    activation: UnsafePointer<Float>, result: UnsafeMutablePointer<Float>, sums: UnsafeMutablePointer<Float>?
  ) {
    kiln_masked_rows(rows, columns, columnRange.lowerBound, columnRange.upperBound, gradient, activation, result, sums)
  }

  /// A one-output head on a ReLU layer, forward, for `rowRange` of a row-major [rows, columns]
  /// matrix of pre-activations: max(·, 0) in place, and each row's dot product with `weight` plus
  /// `bias` into `out[row]` (`kiln_relu_rows_dot` gives the order of the sums).
  public static func reluRowsDot(
    rowRange: Range<Int>, columns: Int, values: UnsafeMutablePointer<Float>, weight: UnsafePointer<Float>,
    bias: Float, out: UnsafeMutablePointer<Float>
  ) {
    kiln_relu_rows_dot(rowRange.lowerBound, rowRange.upperBound, columns, values, weight, bias, out)
  }

  /// The same head, backward, for the columns in `columnRange` of every row: the gradient of the
  /// pre-activations into `result` (which may be `hidden`), and the running column sums of that
  /// gradient (`biasSums`) and of gradient[row]·hidden (`weightSums`), row by row in order.
  public static func headBackward(
    rows: Int, columns: Int, columnRange: Range<Int>, hidden: UnsafePointer<Float>, gradient: UnsafePointer<Float>,
    weight: UnsafePointer<Float>, result: UnsafeMutablePointer<Float>, biasSums: UnsafeMutablePointer<Float>,
    weightSums: UnsafeMutablePointer<Float>
  ) {
    kiln_head_backward(rows, columns, columnRange.lowerBound, columnRange.upperBound, hidden, gradient, weight,
                       result, biasSums, weightSums)
  }

  /// Zeroes `count` values with streaming stores (x86-64; a plain fill elsewhere): no line is read
  /// before it is written, and none takes cache space.
  public static func zeroStreaming(_ values: UnsafeMutablePointer<Float>, count: Int) {
    kiln_zero_streaming(count, values)
  }

  /// Whether the AVX2 versions run.
  public static var usesAVX2: Bool { kiln_kernels_version() == 1 }

  /// Chooses the baseline (`false`) or AVX2 (`true`) versions, for tests and benchmarks; returns
  /// whether AVX2 runs now (never where the processor lacks it).
  @discardableResult
  public static func useAVX2(_ wanted: Bool) -> Bool { kiln_kernels_select(wanted ? 1 : 0) == 1 }
}
