import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN
import Testing

@Suite struct LayerTests {
  @Test func linearInitialisersRespectTheirBounds() {
    var generator = SeededGenerator(seed: 2)
    let kaiming = Linear(inputSize: 50, outputSize: 20, generator: &generator)
    let bound = (6.0 / 50).squareRoot()
    #expect(kaiming.weight.value.scalars.allSatisfy { Swift.abs(Double($0)) <= bound })
    #expect(kaiming.bias?.value.scalars.allSatisfy { $0 == 0 } == true)
    let xavier = Linear(inputSize: 50, outputSize: 20, initializer: .xavierUniform, generator: &generator)
    let xavierBound = (6.0 / 70).squareRoot()
    #expect(xavier.weight.value.scalars.allSatisfy { Swift.abs(Double($0)) <= xavierBound })
  }

  @Test func logisticRegressionIsAnMLPWithoutHiddenLayers() {
    var generator = SeededGenerator(seed: 3)
    let model = MLP(inputSize: 4, hiddenSizes: [], outputSize: 1, generator: &generator)
    #expect(model.parameterPaths == ["layers.0.weight", "layers.0.bias"])
  }

  @Test func dropoutScalesSurvivorsInTrainingAndIsIdentityInEvaluation() {
    var dropout = Dropout(probability: 0.5, seed: 4)
    let x = Variable(Tensor.ones(shape: [1000]))
    let trained = dropout(x).value.scalars
    #expect(trained.allSatisfy { $0 == 0 || $0 == 2 })
    let kept = trained.filter { $0 == 2 }.count
    #expect(kept > 400 && kept < 600)
    dropout.setTraining(false)
    #expect(dropout(x).value.scalars.allSatisfy { $0 == 1 })
  }

  @Test func unpositionedCallsDrawFreshMasks() {
    let dropout = Dropout(probability: 0.5, seed: 4)
    let x = Variable(Tensor.ones(shape: [4, 64]))
    #expect(dropout(x).value != dropout(x).value)
  }

  /// A row's mask depends on (seed, epoch, row, layer), not on the batch it comes in: the rows a
  /// 2-rank run splits between its ranks are masked as one process masks them together.
  @Test func aRowsMaskIsTheSameInWhicheverBatchItComes() {
    let dropout = Dropout(probability: 0.3, seed: 9)
    let units = 33
    func masks(epoch: Int, rows: [Int], layer: Int = 0) -> [[Float]] {
      dropout.masks.position = (epoch, rows)
      let scalars = dropout(Variable(Tensor.ones(shape: [rows.count, units])), layer: layer).value.scalars
      return rows.indices.map { Array(scalars[($0 * units)..<(($0 + 1) * units)]) }
    }
    let whole = masks(epoch: 2, rows: [3, 8, 10, 15])
    let even = masks(epoch: 2, rows: [3, 10]), odd = masks(epoch: 2, rows: [8, 15])
    #expect(whole == [even[0], odd[0], even[1], odd[1]])
    #expect(masks(epoch: 2, rows: [3, 8, 10, 15]) == whole)
    #expect(masks(epoch: 3, rows: [3, 8, 10, 15]) != whole)
    #expect(masks(epoch: 2, rows: [3, 8, 10, 15], layer: 1) != whole)
    let other = Dropout(probability: 0.3, seed: 10)
    other.masks.position = (2, [3, 8, 10, 15])
    #expect(other(Variable(Tensor.ones(shape: [4, units]))).value.scalars != whole.flatMap { $0 })
    // About 30 % dropped over many rows.
    let many = masks(epoch: 0, rows: Array(0..<2_000)).flatMap { $0 }
    let dropped = Double(many.filter { $0 == 0 }.count) / Double(many.count)
    #expect(abs(dropped - 0.3) < 0.01)
  }

  /// An MLP whose one-output head sits on a ReLU layer runs the two fused (`linearReLUHead`): its
  /// value and gradients are those of its layers applied one by one, up to the order of sums.
  @Test(arguments: [[5], [6, 7]]) func anMLPsFusedHeadMatchesItsLayersAppliedInTurn(hiddenSizes: [Int]) {
    var generator = SeededGenerator(seed: 8)
    let model = MLP(inputSize: 4, hiddenSizes: hiddenSizes, outputSize: 1, generator: &generator)
    let x = Variable(Tensor.randomUniform(shape: [9, 4], using: &generator) - 0.5)
    let labels = Tensor((0..<9).map { Float($0 % 2) }).reshaped(to: [9, 1])
    let (fusedLoss, fused) = valueWithGradient(at: model) { model in binaryCrossEntropy(logits: model(x), labels: labels) }
    let (loss, layered) = valueWithGradient(at: model) { model in
      var hidden = x
      for layer in model.layers.dropLast() { hidden = layer(hidden).relu() }
      return binaryCrossEntropy(logits: model.layers[model.layers.count - 1](hidden), labels: labels)
    }
    #expect(Swift.abs(fusedLoss.scalar - loss.scalar) <= 1e-6)
    #expect(fused.paths == layered.paths && fused.paths.count == 2 * (hiddenSizes.count + 1))
    for (path, (a, b)) in zip(fused.paths, zip(fused.tensors, layered.tensors)) {
      #expect(a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { Swift.abs($0 - $1) <= 1e-6 }, "\(path)")
      #expect(a.scalars.contains { $0 != 0 }, "\(path)")
    }
  }

  @Test func mlpEvaluationModeTurnsDropoutOff() {
    var generator = SeededGenerator(seed: 5)
    var model = MLP(inputSize: 3, hiddenSizes: [16], outputSize: 1, dropout: 0.5, generator: &generator)
    let x = Variable(Tensor.ones(shape: [2, 3]))
    model.setTraining(false)
    #expect(model(x).value == model(x).value)
  }

  @Test func layerNormNormalisesEachRow() {
    let norm = LayerNorm(featureCount: 4)
    let y = norm(Variable(Tensor(shape: [2, 4], scalars: [1, 2, 3, 4, -5, 0, 5, 10]))).value
    for mean in y.mean(alongAxes: [1]).scalars { #expect(Swift.abs(mean) < 1e-5) }
    for variance in y.variance(alongAxes: [1]).scalars { #expect(Swift.abs(variance - 1) < 1e-3) }
  }

  @Test func embeddingLooksUpRowsAndAccumulatesTheirGradients() {
    var generator = SeededGenerator(seed: 6)
    let embedding = Embedding(count: 5, dimension: 3, generator: &generator)
    #expect(embedding([4, 4]).value.rows(0..<1) == embedding.weight.value.rows(4..<5))
    let (_, gradients) = valueWithGradient(at: embedding) { embedding in embedding([1, 3, 1]).sum() }
    #expect(gradients["weight"]?.scalars == [0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0])
  }

  @Test func activationsApplyTheirFunction() {
    let x = Variable(Tensor([-1, 2]))
    #expect(Activation.relu(x).value.scalars == [0, 2])
    #expect(Activation.identity(x).value.scalars == [-1, 2])
  }
}
