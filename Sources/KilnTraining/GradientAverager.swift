import Dispatch
import KilnDistributed
import KilnNN
import KilnTensor
import KilnConfiguration

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
final class GradientAverager {
  let communicator: Communicator
  /// Gradients with at least this many scalars are reduced in their own storage.
  let inPlaceMinimum: Int
  private var packed: UnsafeMutableBufferPointer<Float>
  /// Total seconds spent waiting at the barrier for the slowest rank, over all calls.
  private(set) var waitingSeconds = 0.0

  init(communicator: Communicator, inPlaceMinimum: Int = 1 << 16) {
    precondition(inPlaceMinimum > 0, "GradientAverager: inPlaceMinimum must be positive, got \(inPlaceMinimum)")
    self.communicator = communicator
    self.inPlaceMinimum = inPlaceMinimum
    packed = .allocate(capacity: 0)
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

    for index in large.reversed() {
      try gradients.tensors[index].withUnsafeMutableBufferPointer { values in
        try communicator.allReduceSum(values)
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
}
