import KilnTensor
import KilnRandom
import KilnAutograd
import Testing

/// One row of the gradient-check table: named inputs drawn from a seed and a function of them.
struct GradientCase: Sendable, CustomTestStringConvertible {
  let name: String
  let makeInputs: @Sendable (inout SeededGenerator) -> [Tensor]
  let function: @Sendable ([Variable]) -> Variable
  var testDescription: String { name }
}

/// A random extent in 1...4.
func extent(_ generator: inout SeededGenerator) -> Int { 1 + generator.uniformIndex(below: 4) }

/// Uniform values in [lower, upper).
func uniform(_ shape: [Int], _ lower: Float, _ upper: Float, _ generator: inout SeededGenerator) -> Tensor {
  Tensor.randomUniform(shape: shape, lower: lower, upper: upper, using: &generator)
}

/// Values with |x| in [0.2, 1.5] and a random sign: away from the kinks of relu, abs and friends.
func awayFromZero(_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor {
  let magnitude = uniform(shape, 0.2, 1.5, &generator)
  let sign = uniform(shape, -1, 1, &generator).mapped { $0 < 0 ? -1 : 1 }
  return magnitude * sign
}

/// Distinct values (a shuffled ramp), so maxima are never tied.
func distinct(_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor {
  var values = (0..<Tensor.scalarCount(of: shape)).map { Float($0) * 0.37 - 1 }
  generator.shuffle(&values)
  return Tensor(shape: shape, scalars: values)
}

let gradientCases: [GradientCase] = [
  GradientCase(name: "add broadcasting a row", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [uniform([m, n], -1, 1, &g), uniform([n], -1, 1, &g)]
  }, function: { $0[0] + $0[1] }),
  GradientCase(name: "add broadcasting column and row", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [uniform([m, 1], -1, 1, &g), uniform([1, n], -1, 1, &g)]
  }, function: { $0[0] + $0[1] }),
  GradientCase(name: "subtract broadcasting a column", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [uniform([m, n], -1, 1, &g), uniform([m, 1], -1, 1, &g)]
  }, function: { $0[0] - $0[1] }),
  GradientCase(name: "multiply rank 3 by a vector", makeInputs: { g in
    let b = extent(&g), m = extent(&g), n = extent(&g)
    return [uniform([b, m, n], -1, 1, &g), uniform([n], -1, 1, &g)]
  }, function: { $0[0] * $0[1] }),
  GradientCase(name: "divide broadcasting", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [uniform([m, n], -1, 1, &g), uniform([1, n], 0.5, 2, &g)]
  }, function: { $0[0] / $0[1] }),
  GradientCase(name: "scale by a constant", makeInputs: { g in [uniform([extent(&g), 3], -1, 1, &g)] },
               function: { $0[0] * 2.5 }),
  GradientCase(name: "negate", makeInputs: { g in [uniform([extent(&g), 2], -1, 1, &g)] },
               function: { -$0[0] }),
  GradientCase(name: "exp", makeInputs: { g in [uniform([extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].exp() }),
  GradientCase(name: "log", makeInputs: { g in [uniform([extent(&g), 3], 0.5, 2, &g)] },
               function: { $0[0].log() }),
  GradientCase(name: "squareRoot", makeInputs: { g in [uniform([extent(&g), 3], 0.5, 2, &g)] },
               function: { $0[0].squareRoot() }),
  GradientCase(name: "pow", makeInputs: { g in [uniform([extent(&g), 3], 0.5, 2, &g)] },
               function: { $0[0].pow(2.5) }),
  GradientCase(name: "abs", makeInputs: { g in [awayFromZero([extent(&g), 3], &g)] },
               function: { $0[0].abs() }),
  GradientCase(name: "clamp", makeInputs: { g in
    [Tensor([-1.4, -0.9, -0.3, 0.1, 0.35, 0.8, 1.3])]
  }, function: { $0[0].clamped(lower: -0.5, upper: 0.5) }),
  GradientCase(name: "relu", makeInputs: { g in [awayFromZero([extent(&g), 4], &g)] },
               function: { $0[0].relu() }),
  GradientCase(name: "leakyRelu", makeInputs: { g in [awayFromZero([extent(&g), 4], &g)] },
               function: { $0[0].leakyRelu(slope: 0.1) }),
  GradientCase(name: "gelu", makeInputs: { g in [uniform([extent(&g), 4], -2, 2, &g)] },
               function: { $0[0].gelu() }),
  GradientCase(name: "sigmoid", makeInputs: { g in [uniform([extent(&g), 4], -3, 3, &g)] },
               function: { $0[0].sigmoid() }),
  GradientCase(name: "tanh", makeInputs: { g in [uniform([extent(&g), 4], -2, 2, &g)] },
               function: { $0[0].tanh() }),
  GradientCase(name: "maximum broadcasting", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [awayFromZero([m, n], &g), uniform([n], -0.1, 0.1, &g)]
  }, function: { $0[0].maximum($0[1]) }),
  GradientCase(name: "minimum broadcasting", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [awayFromZero([m, n], &g), uniform([m, 1], -0.1, 0.1, &g)]
  }, function: { $0[0].minimum($0[1]) }),
  GradientCase(name: "where broadcasting", makeInputs: { g in
    let m = extent(&g), n = extent(&g)
    return [uniform([m, n], -1, 1, &g), uniform([n], -1, 1, &g)]
  }, function: { inputs in
    let condition = Tensor.arange(to: Float(inputs[0].shape[1])).mapped { $0.truncatingRemainder(dividingBy: 2) }
    return Variable.where(condition, inputs[0], inputs[1])
  }),
  GradientCase(name: "sum along one axis", makeInputs: { g in [uniform([extent(&g), extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].sum(alongAxes: [1]) }),
  GradientCase(name: "sum along two axes keeping dimensions", makeInputs: { g in
    [uniform([extent(&g), extent(&g), 3], -1, 1, &g)]
  }, function: { $0[0].sum(alongAxes: [0, 2], keepingDimensions: true) }),
  GradientCase(name: "sum of everything", makeInputs: { g in [uniform([extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].sum() }),
  GradientCase(name: "mean (composite)", makeInputs: { g in [uniform([extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].mean(alongAxes: [0]) }),
  GradientCase(name: "variance (composite)", makeInputs: { g in [uniform([extent(&g) + 1, 3], -1, 1, &g)] },
               function: { $0[0].variance(alongAxes: [0]) }),
  GradientCase(name: "max along an axis", makeInputs: { g in [distinct([extent(&g), 4], &g)] },
               function: { $0[0].max(alongAxes: [1]) }),
  GradientCase(name: "min along an axis (composite)", makeInputs: { g in [distinct([3, extent(&g)], &g)] },
               function: { $0[0].min(alongAxes: [0], keepingDimensions: true) }),
  GradientCase(name: "logSumExp", makeInputs: { g in [uniform([extent(&g), 4], -2, 2, &g)] },
               function: { $0[0].logSumExp(alongAxes: [1]) }),
  GradientCase(name: "softmax on the last axis", makeInputs: { g in [uniform([extent(&g), 4], -2, 2, &g)] },
               function: { $0[0].softmax() }),
  GradientCase(name: "softmax on the first axis", makeInputs: { g in [uniform([3, extent(&g)], -2, 2, &g)] },
               function: { $0[0].softmax(alongAxis: 0) }),
  GradientCase(name: "logSoftmax", makeInputs: { g in [uniform([extent(&g), 4], -2, 2, &g)] },
               function: { $0[0].logSoftmax() }),
  GradientCase(name: "matmul rank 2", makeInputs: { g in
    let m = extent(&g), k = extent(&g), n = extent(&g)
    return [uniform([m, k], -1, 1, &g), uniform([k, n], -1, 1, &g)]
  }, function: { matmul($0[0], $0[1]) }),
  GradientCase(name: "matmul of a transposed operand", makeInputs: { g in
    let m = extent(&g), k = extent(&g), n = extent(&g)
    return [uniform([k, m], -1, 1, &g), uniform([k, n], -1, 1, &g)]
  }, function: { matmul($0[0].transposed, $0[1]) }),
  GradientCase(name: "matmul batched", makeInputs: { g in
    let b = extent(&g), m = extent(&g), k = extent(&g), n = extent(&g)
    return [uniform([b, m, k], -1, 1, &g), uniform([b, k, n], -1, 1, &g)]
  }, function: { matmul($0[0], $0[1]) }),
  GradientCase(name: "matmul batched by a shared matrix", makeInputs: { g in
    let b = extent(&g), m = extent(&g), k = extent(&g), n = extent(&g)
    return [uniform([b, m, k], -1, 1, &g), uniform([k, n], -1, 1, &g)]
  }, function: { matmul($0[0], $0[1]) }),
  GradientCase(name: "linear with bias", makeInputs: { g in
    let n = extent(&g), i = extent(&g), o = extent(&g)
    return [uniform([n, i], -1, 1, &g), uniform([o, i], -1, 1, &g), uniform([o], -1, 1, &g)]
  }, function: { linear($0[0], weight: $0[1], bias: $0[2]) }),
  GradientCase(name: "linear without bias on rank-3 input", makeInputs: { g in
    let b = extent(&g), n = extent(&g), i = extent(&g), o = extent(&g)
    return [uniform([b, n, i], -1, 1, &g), uniform([o, i], -1, 1, &g)]
  }, function: { linear($0[0], weight: $0[1], bias: nil) }),
  GradientCase(name: "linear fused with relu", makeInputs: { g in Array(hiddenLayerInputs(&g).prefix(3)) },
               function: { linearReLU($0[0], weight: $0[1], bias: $0[2]) }),
  // A one-output layer on a linear-ReLU layer: its input gradient is an outer product.
  GradientCase(name: "one-output head on a linear-ReLU layer", makeInputs: hiddenLayerInputs,
               function: { linear(linearReLU($0[0], weight: $0[1], bias: $0[2]), weight: $0[3], bias: $0[4]) }),
  // The same with the hidden output consumed twice: two contributions add up before the mask.
  GradientCase(name: "one-output head on a linear-ReLU layer used twice", makeInputs: hiddenLayerInputs, function: {
    let hidden = linearReLU($0[0], weight: $0[1], bias: $0[2])
    return linear(hidden, weight: $0[3], bias: $0[4]) + hidden.sum(alongAxes: [1], keepingDimensions: true) * 0.5
  }),
  GradientCase(name: "linear-ReLU layer fused with a one-output head", makeInputs: hiddenLayerInputs, function: {
    linearReLUHead($0[0], weight: $0[1], bias: $0[2], headWeight: $0[3], headBias: $0[4])
  }),
  GradientCase(name: "linear-ReLU layer fused with a one-output head, no biases, rank-3 input", makeInputs: { g in
    let inputs = hiddenLayerInputs(&g)
    return [inputs[0].reshaped(to: [1, inputs[0].shape[0], inputs[0].shape[1]]), inputs[1], inputs[3]]
  }, function: { linearReLUHead($0[0], weight: $0[1], bias: nil, headWeight: $0[2], headBias: nil) }),
  GradientCase(name: "reshape", makeInputs: { g in [uniform([extent(&g), 6], -1, 1, &g)] },
               function: { ($0[0].reshaped(to: [-1, 2, 3]) * Tensor([1, 2, 3])) }),
  GradientCase(name: "permute", makeInputs: { g in [uniform([2, extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].permuted([1, 2, 0]) * Tensor([1, 2]) }),
  GradientCase(name: "transpose", makeInputs: { g in [uniform([extent(&g), 3], -1, 1, &g)] },
               function: { $0[0].transposed }),
  GradientCase(name: "broadcast", makeInputs: { g in [uniform([1, extent(&g)], -1, 1, &g)] },
               function: { $0[0].broadcast(to: [3, $0[0].shape[1]]) }),
  GradientCase(name: "unsqueeze and squeeze", makeInputs: { g in [uniform([extent(&g), 2], -1, 1, &g)] },
               function: { $0[0].unsqueezed(at: 1).squeezed(at: [1]) }),
  GradientCase(name: "concatenate", makeInputs: { g in
    let m = extent(&g)
    return [uniform([m, extent(&g)], -1, 1, &g), uniform([m, extent(&g)], -1, 1, &g)]
  }, function: { Variable.concatenate([$0[0], $0[1]], alongAxis: 1) }),
  GradientCase(name: "stack", makeInputs: { g in
    let shape = [extent(&g), 2]
    return [uniform(shape, -1, 1, &g), uniform(shape, -1, 1, &g)]
  }, function: { Variable.stack([$0[0], $0[1]], alongAxis: 0) }),
  GradientCase(name: "gather rows with repeats", makeInputs: { g in [uniform([4, extent(&g)], -1, 1, &g)] },
               function: { $0[0].gatheringRows([3, 0, 3, 1]) }),
  GradientCase(name: "rows", makeInputs: { g in [uniform([5, extent(&g)], -1, 1, &g)] },
               function: { $0[0].rows(1..<4) }),
  GradientCase(name: "binary cross-entropy with logits and weights", makeInputs: { g in
    let n = extent(&g) + 2
    return [uniform([n, 1], -4, 4, &g)]
  }, function: { inputs in
    let n = inputs[0].shape[0]
    let labels = Tensor.arange(to: Float(n)).mapped { $0.truncatingRemainder(dividingBy: 2) }
    return binaryCrossEntropyWithLogits(logits: inputs[0], labels: labels,
                                        weights: Tensor.arange(from: 1, to: Float(n) + 1), reduction: .mean)
  }),
  GradientCase(name: "binary cross-entropy with logits summed", makeInputs: { g in [uniform([5], -4, 4, &g)] },
               function: { binaryCrossEntropyWithLogits(logits: $0[0], labels: Tensor([0, 1, 1, 0, 0.3]), reduction: .sum) }),
  GradientCase(name: "softmax cross-entropy with logits and weights", makeInputs: { g in
    [uniform([4, extent(&g) + 1], -2, 2, &g)]
  }, function: { inputs in
    let classes = inputs[0].shape[1]
    return softmaxCrossEntropyWithLogits(logits: inputs[0], labels: [0, classes - 1, 1 % classes, 0],
                                         weights: Tensor([1, 2, 0.5, 1]))
  }),
]

/// x [n, i], a linear-ReLU layer's weight [o, i] and bias [o], and a one-output head's weight
/// [1, o] and bias [1]. Inputs and weights of one sign per output keep every pre-activation away
/// from the kink at zero.
func hiddenLayerInputs(_ g: inout SeededGenerator) -> [Tensor] {
  let n = extent(&g), i = extent(&g), o = extent(&g)
  let weight = uniform([o, i], 0.3, 1, &g) * Tensor((0..<o).map { $0 % 2 == 0 ? 1 : -1 }).reshaped(to: [o, 1])
  return [uniform([n, i], 0.2, 1, &g), weight, uniform([o], -0.01, 0.01, &g), uniform([1, o], -1, 1, &g),
          uniform([1], -1, 1, &g)]
}

@Suite struct PrimitiveBackwardTests {
  @Test(arguments: gradientCases, [UInt64(1), 2, 3])
  func gradientMatchesFiniteDifferences(_ gradientCase: GradientCase, seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    let inputs = gradientCase.makeInputs(&generator)
    let result = GradientChecker.check(inputs: inputs, epsilon: 1e-2, seed: seed, gradientCase.function)
    #expect(result.passes(tolerance: 1e-2),
            "\(gradientCase.name): worst \(String(describing: result.worst)), relative \(result.maximumRelativeError)")
  }

  @Test func checkerRejectsAWrongGradient() {
    // x·x recorded as if its derivative were x (a deliberately wrong rule built from a detached factor).
    let result = GradientChecker.check(inputs: [Tensor([0.5, 1.5, -2])]) { inputs in
      inputs[0] * inputs[0].detached()
    }
    #expect(!result.passes(tolerance: 1e-2))
  }
}

@Suite(.serialized) struct ParallelBackwardTests {
  /// A fused linear-ReLU layer splits outputs of 2¹⁸ elements or more over the BLAS threads (the
  /// bias rows and the ReLU forward, the mask and bias sums backward, by columns): its value and
  /// gradients are the one-thread ones bit for bit.
  @Test func aLargeReLULayersGradientsDoNotDependOnTheThreadCount() {
    var generator = SeededGenerator(seed: 5)
    // 8 inputs keep the layer's products under the size that splits them over threads, whose
    // results may differ in the last bit; the ReLU mask over 600 × 513 outputs is split.
    let inputs = [uniform([600, 8], -1, 1, &generator), uniform([513, 8], -1, 1, &generator), uniform([513], -1, 1, &generator)]
    #expect(600 * 513 >= ElementwiseParallelism.minimumElements && 600 * 513 * 8 < BLASThreads.parallelMultiplyAdds)
    func gradients(threads: Int) -> [[Float]] {
      let saved = BLASThreads.maximum
      defer { BLASThreads.maximum = saved }
      BLASThreads.maximum = threads
      let (value, gradients) = valueWithGradient(at: inputs) { linearReLU($0[0], weight: $0[1], bias: $0[2]) * $0[0].sum() }
      return [value.scalars] + gradients.map(\.scalars)
    }
    let one = gradients(threads: 1), three = gradients(threads: 3)
    // Compared by count and largest difference: a failing `==` on arrays this long would diff them.
    for (a, b) in zip(one, three) {
      #expect(a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern },
              "largest difference \(zip(a, b).map { abs($0 - $1) }.max() ?? 0) of \(a.count)")
    }
    #expect(one[3].contains { $0 != 0 } && one[0].contains { $0 == 0 } && one[0].contains { $0 != 0 })
  }

  /// The fused ReLU layer with a one-output head splits its forward pass by rows and its backward
  /// pass by columns: value and gradients are the one-thread ones bit for bit, and they agree with
  /// the unfused layers (`linear` on `linearReLU`) up to the order of the head's sums.
  @Test func aLargeFusedHeadDoesNotDependOnTheThreadCountAndMatchesTheUnfusedLayers() {
    var generator = SeededGenerator(seed: 6)
    let inputs = [uniform([600, 8], -1, 1, &generator), uniform([513, 8], -1, 1, &generator), uniform([513], -1, 1, &generator),
                  uniform([1, 513], -1, 1, &generator), uniform([1], -1, 1, &generator)]
    #expect(600 * 513 >= ElementwiseParallelism.minimumElements && 600 * 513 * 8 < BLASThreads.parallelMultiplyAdds)
    let weights = uniform([600, 1], -1, 1, &generator)
    func gradients(threads: Int, fused: Bool) -> [[Float]] {
      let saved = BLASThreads.maximum
      defer { BLASThreads.maximum = saved }
      BLASThreads.maximum = threads
      let (value, gradients) = valueWithGradient(at: inputs) { inputs -> Variable in
        let output = fused
          ? linearReLUHead(inputs[0], weight: inputs[1], bias: inputs[2], headWeight: inputs[3], headBias: inputs[4])
          : linear(linearReLU(inputs[0], weight: inputs[1], bias: inputs[2]), weight: inputs[3], bias: inputs[4])
        return (output * Variable(weights)).sum()
      }
      return [value.scalars] + gradients.map(\.scalars)
    }
    let one = gradients(threads: 1, fused: true), three = gradients(threads: 3, fused: true)
    let unfused = gradients(threads: 1, fused: false)
    for (index, (a, b)) in zip(one, three).enumerated() {
      #expect(a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern },
              "slot \(index): largest difference \(zip(a, b).map { abs($0 - $1) }.max() ?? 0) of \(a.count)")
    }
    for (index, (a, b)) in zip(one, unfused).enumerated() {
      let scale = b.map(abs).max() ?? 0
      let difference = zip(a, b).map { abs($0 - $1) }.max() ?? 0
      #expect(a.count == b.count && difference <= 1e-5 * Swift.max(scale, 1), "slot \(index): largest difference \(difference)")
    }
    // Every gradient carries signal, and the mask cut some of the hidden layer's.
    #expect(one.allSatisfy { $0.contains { $0 != 0 } })
  }

  /// The ReLU mask writes over the gradient it receives only when nothing else holds it. Here the
  /// addition hands one gradient to the layer's output and to `c`, whose gradient is returned: it
  /// must stay m, unmasked, while the layer's gradients still see the mask.
  @Test(arguments: [1, 2]) func theReLUMaskLeavesAGradientItSharesAlone(threads: Int) {
    let saved = BLASThreads.maximum
    defer { BLASThreads.maximum = saved }
    BLASThreads.maximum = threads
    var generator = SeededGenerator(seed: 8)
    // 600 × 513 outputs: the mask's pass is split when there are two threads.
    let x = uniform([600, 4], -1, 1, &generator), w = uniform([513, 4], -1, 1, &generator)
    let b = uniform([513], -1, 1, &generator), c = uniform([600, 513], -1, 1, &generator)
    let m = uniform([600, 513], -1, 1, &generator)
    let (_, gradients) = valueWithGradient(at: [x, w, b, c]) {
      (linearReLU($0[0], weight: $0[1], bias: $0[2]) + $0[3]) * Variable(m)
    }
    #expect(gradients[3].scalars == m.scalars)
    // ∂b = Σ_rows m where the layer's output is positive.
    let output = Tensor.linear(x, weight: w, bias: b, applyingReLU: true)
    var expected = [Double](repeating: 0, count: 513)
    for (index, (y, weight)) in zip(output.scalars, m.scalars).enumerated() where y > 0 { expected[index % 513] += Double(weight) }
    #expect(zip(gradients[2].scalars, expected).allSatisfy { abs(Double($0) - $1) <= 1e-4 })
  }
}
