/// A group of cooperating processes, as data-parallel training and distributed sweeps see it.
///
/// Two implementations: `MPICommunicator` over Open MPI (one process per rank, started by
/// `mpirun`), and `LocalCommunicator`, a group of one, so the same training code runs alone.
/// Collective calls must be made by every rank in the same order.
public protocol Communicator: AnyObject {
  /// This process's rank, `0..<size`.
  var rank: Int { get }
  /// The number of processes in the group.
  var size: Int { get }

  /// Replaces `values` on every rank with the elementwise sum over all ranks.
  func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws
  /// Replaces `values` on every rank with the elementwise sum over all ranks.
  func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws
  /// Starts replacing `values` on every rank with the elementwise sum over all ranks and returns at
  /// once, so computation can go on while the data moves (`MPI_Iallreduce`). `values` must stay
  /// allocated and untouched until the returned request completes.
  func startAllReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> CommunicationRequest
  /// Replaces `values` on `root` with the elementwise sum over all ranks; other ranks' `values`
  /// are only read (`MPI_Reduce`).
  func reduceSum(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws
  /// Replaces `values` on every rank with the elementwise maximum over all ranks.
  func allReduceMax(_ values: UnsafeMutableBufferPointer<Double>) throws
  /// Copies `values` from `root` into `values` on every other rank.
  func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws
  /// Copies `bytes` from `root` to every rank; other ranks' input is ignored and replaced.
  func broadcast(bytes: [UInt8], root: Int) throws -> [UInt8]
  /// Waits until every rank has called `barrier()`.
  func barrier() throws
  /// Sends `bytes` to `destination` with `tag`.
  func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws
  /// Receives a message with `tag` from `source` (or from any rank when `source` is nil),
  /// returning the sender's rank and the bytes.
  func receive(from source: Int?, tag: Int) throws -> (source: Int, bytes: [UInt8])
}

extension Communicator {
  /// Whether this process is rank 0, the one that logs, checkpoints and samples.
  public var isRoot: Bool { rank == 0 }

  /// Sums `values` over all ranks, in place.
  public func allReduceSum(_ values: inout [Float]) throws {
    try values.withUnsafeMutableBufferPointer { try allReduceSum($0) }
  }

  /// Sums `values` over all ranks, in place.
  public func allReduceSum(_ values: inout [Double]) throws {
    try values.withUnsafeMutableBufferPointer { try allReduceSum($0) }
  }

  /// Averages `values` over all ranks, in place (the sum divided by `size`).
  public func allReduceMean(_ values: inout [Float]) throws {
    try allReduceSum(&values)
    if size > 1 {
      let scale = 1 / Float(size)
      for index in values.indices { values[index] *= scale }
    }
  }

  /// Copies `values` from `root` to every rank, in place.
  public func broadcast(_ values: inout [Float], root: Int = 0) throws {
    try values.withUnsafeMutableBufferPointer { try broadcast($0, root: root) }
  }
}
