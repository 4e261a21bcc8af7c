import Dispatch
import KilnDistributed
import KilnNN
import KilnTensor
import KilnConfiguration
import KilnOptim

/// Averages one step's gradients and loss over the ranks of a data-parallel job, in place.
///
/// Data-parallel SGD needs ḡ = (1/N) Σᵣ gᵣ on every rank r of N. Large gradients (the weight
/// matrices, which hold nearly every scalar) are summed directly in their own storage, last layer
/// first, so no flattened copy of the model's gradient is made; the small ones (biases, output
/// weights) and the loss travel together in one packed buffer so they cost one collective instead
/// of one each. The 1/N scale is applied in the same pass that reads each sum. Per step this moves
/// the gradient through memory twice (the reduction and the scale) where a flattened buffer needs
/// a gather, a copy into an array, the scale and a scatter on top of the reduction.
///
/// Each call first waits at a barrier, so the time the fastest rank spends waiting for the
/// slowest (`waitingSeconds`) is told apart from the time spent moving and summing data; the
/// reduction would wait for the slowest rank anyway, so the barrier adds only its latency.
///
/// Bucketing by tensor follows PyTorch DDP (Li et al. 2020, https://arxiv.org/abs/2006.15704),
/// without its overlap with the backward pass: Open MPI progresses a nonblocking collective only
/// inside MPI calls, and each rank here owns one core, so overlap would not hide the reduction's
/// memory traffic (BENCHMARKS.md has the measurements).
///
/// **Sharded optimizer** (ZeRO stage 1; Rajbhandari et al. 2020, arXiv:1910.02054), when
/// `sharded`: each large gradient has one owner rank (largest first, to the least-loaded rank), and
/// is summed onto its owner only (`MPI_Reduce`) instead of onto every rank. The owner alone steps
/// that parameter and its optimizer state (`owned`), then sends the new values to the others
/// (`shareParameters`); the gradient norm is assembled from each rank's owned part. The small
/// gradients stay replicated (one packed sum, every rank steps them). Reduce plus broadcast move
/// as many bytes as an allreduce, so the saving is the optimizer step and the norm over the other
/// ranks' parameters. With two ranks the sums are the same two numbers in either order, so the
/// result is bitwise that of the unsharded path without gradient clipping.
final class GradientAverager {
  let communicator: Communicator
  /// Gradients with at least this many scalars are reduced in their own storage.
  let inPlaceMinimum: Int
  /// Whether the optimizer is sharded over the ranks (see the type's documentation).
  let sharded: Bool
  private var packed: UnsafeMutableBufferPointer<Float>
  /// Total seconds spent waiting at the barrier for the slowest rank, over all calls.
  private(set) var waitingSeconds = 0.0
  /// Each parameter's owner rank under sharding, nil for the small ones every rank steps; set on
  /// the first `average` call.
  private(set) var owners: [Int?] = []

  init(communicator: Communicator, inPlaceMinimum: Int = 1 << 16, sharded: Bool = false) {
    precondition(inPlaceMinimum > 0, "GradientAverager: inPlaceMinimum must be positive, got \(inPlaceMinimum)")
    self.communicator = communicator
    self.inPlaceMinimum = inPlaceMinimum
    self.sharded = sharded && communicator.size > 1
    packed = .allocate(capacity: 0)
  }

  /// Which parameters this rank steps: nil (all) unless sharded.
  var owned: [Bool]? {
    guard sharded else { return nil }
    return owners.map { $0.map { $0 == communicator.rank } ?? true }
  }

  /// Owners for parameters of `counts` scalars: the large ones, largest first (then in order),
  /// each to the rank with the fewest scalars so far (then the lowest rank).
  static func owners(counts: [Int], ranks: Int, minimum: Int) -> [Int?] {
    var load = [Int](repeating: 0, count: ranks)
    var owners = [Int?](repeating: nil, count: counts.count)
    for index in counts.indices.filter({ counts[$0] >= minimum }).sorted(by: { (-counts[$0], $0) < (-counts[$1], $1) }) {
      let rank = load.indices.min { (load[$0], $0) < (load[$1], $1) } ?? 0
      owners[index] = rank
      load[rank] += counts[index]
    }
    return owners
  }

  deinit { packed.deallocate() }

  /// Replaces every gradient with its mean over the ranks and returns the mean of `loss`.
  /// Collective: every rank calls it once per step with gradients of the same shapes.
  func average(_ gradients: inout Gradients, loss: Double) throws -> Double {
    guard communicator.size > 1 else { return loss }
    let scale = 1 / Float(communicator.size)
    let small = gradients.tensors.indices.filter { gradients.tensors[$0].scalarCount < inPlaceMinimum }
    let large = gradients.tensors.indices.filter { gradients.tensors[$0].scalarCount >= inPlaceMinimum }

    let packedCount = small.reduce(1) { $0 + gradients.tensors[$1].scalarCount }
    if packed.count < packedCount {
      packed.deallocate()
      packed = .allocate(capacity: packedCount)
    }
    var offset = 0
    for index in small {
      gradients.tensors[index].withUnsafeBufferPointer { source in
        guard let base = source.baseAddress else { return }
        (packed.baseAddress! + offset).update(from: base, count: source.count)
        offset += source.count
      }
    }
    packed[offset] = Float(loss)
    let waitStart = DispatchTime.now().uptimeNanoseconds
    try communicator.barrier()
    waitingSeconds += Double(DispatchTime.now().uptimeNanoseconds - waitStart) / 1e9
    try communicator.allReduceSum(UnsafeMutableBufferPointer(rebasing: packed[0..<packedCount]))

    if sharded && owners.count != gradients.tensors.count {
      owners = Self.owners(counts: gradients.tensors.map(\.scalarCount), ranks: communicator.size, minimum: inPlaceMinimum)
    }
    for index in large.reversed() {
      try gradients.tensors[index].withUnsafeMutableBufferPointer { values in
        if sharded, let owner = owners[index] {
          try communicator.reduceSum(values, root: owner)
          guard owner == communicator.rank else { return }
        } else {
          try communicator.allReduceSum(values)
        }
        for position in values.indices { values[position] *= scale }
      }
    }

    offset = 0
    for index in small {
      let start = offset
      gradients.tensors[index] = Tensor.make(shape: gradients.tensors[index].shape) { out in
        for position in out.indices { out[position] = packed[start + position] * scale }
      }
      offset += gradients.tensors[index].scalarCount
    }
    return Double(packed[offset] * scale)
  }

  /// The global L2 norm of the averaged gradients. Sharded, each rank adds the squares of the small
  /// gradients and of the large ones it owns, and one sum over the ranks completes it.
  func globalNorm(_ gradients: Gradients) throws -> Float {
    guard let owned else { return gradients.globalNorm() }
    var replicated = 0.0
    var partial = [0.0]
    for (index, tensor) in gradients.tensors.enumerated() where owned[index] {
      let squares = tensor.withUnsafeBufferPointer { values in values.reduce(Float(0)) { $0 + $1 * $1 } }
      if owners[index] == nil { replicated += Double(squares) } else { partial[0] += Double(squares) }
    }
    try communicator.allReduceSum(&partial)
    return Float((replicated + partial[0]).squareRoot())
  }

  /// Sends each large parameter from its owner to every other rank, after the owners stepped them.
  func shareParameters<Model: Module>(_ model: inout Model) throws {
    guard sharded else { return }
    var index = 0
    var failure: (any Error)?
    model.visitParameters(prefix: "") { _, parameter in
      defer { index += 1 }
      guard failure == nil, index < owners.count, let owner = owners[index] else { return }
      do {
        try parameter.value.withUnsafeMutableBufferPointer { try communicator.broadcast($0, root: owner) }
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
  }

  /// Brings every rank's copy of the optimizer state up to date from the owners (each rank steps
  /// only its own parameters' state), so that rank 0 can write it into a checkpoint. Collective.
  /// The owner of each large parameter first sends the names and shapes of its state entries (an
  /// optimizer may create state lazily, so other ranks may lack them), then the tensors.
  func gatherOptimizerState(_ optimizer: inout any Optimizer, paths: [String]) throws {
    guard sharded, owners.count == paths.count else { return }
    var state = optimizer.exportState(paths: paths)
    for (index, path) in paths.enumerated() {
      guard let owner = owners[index] else { continue }
      let prefix = path + "/"
      var description = ""
      if owner == communicator.rank {
        let tensors = state.tensors.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
        let counters = state.counters.filter { $0.key.hasPrefix(prefix) }.sorted { $0.key < $1.key }
        description = (tensors.map { "t \($0.key) " + $0.value.shape.map(String.init).joined(separator: ",") }
                       + counters.map { "c \($0.key) \($0.value)" }).joined(separator: "\n")
      }
      description = String(decoding: try communicator.broadcast(bytes: Array(description.utf8), root: owner), as: UTF8.self)
      for line in description.split(separator: "\n") {
        let fields = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { continue }
        if fields[0] == "c" {
          state.counters[fields[1]] = Int(fields[2]) ?? 0
          continue
        }
        let shape = fields[2].split(separator: ",").compactMap { Int($0) }
        var tensor = state.tensors[fields[1]].flatMap { $0.shape == shape ? $0 : nil } ?? Tensor.zeros(shape: shape)
        try tensor.withUnsafeMutableBufferPointer { try communicator.broadcast($0, root: owner) }
        state.tensors[fields[1]] = tensor
      }
    }
    try optimizer.importState(state, paths: paths)
  }
}
