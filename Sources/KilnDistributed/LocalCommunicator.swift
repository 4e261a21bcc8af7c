/// A communicator of one process: every collective is the identity.
///
/// Training and sweeps use it when they were not started by `mpirun`, so the code path is the
/// same with or without MPI.
public final class LocalCommunicator: Communicator {
  public let rank = 0
  public let size = 1

  public init() {}

  public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {}
  public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws {}
  public func startAllReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> CommunicationRequest {
    CompletedRequest()
  }
  public func allReduceMax(_ values: UnsafeMutableBufferPointer<Double>) throws {}
  public func reduceSum(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws {
    precondition(root == 0, "reduce: root \(root) is outside a group of size 1")
  }
  public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws {
    precondition(root == 0, "broadcast: root \(root) is outside a group of size 1")
  }
  public func broadcast(bytes: [UInt8], root: Int) throws -> [UInt8] {
    precondition(root == 0, "broadcast: root \(root) is outside a group of size 1")
    return bytes
  }
  public func barrier() throws {}

  public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
    throw CommunicatorError(.invalidRank, "send: a group of one process has no rank \(destination) to send to",
                            hint: "start the program with mpirun -np N to use several processes")
  }

  public func receive(from source: Int?, tag: Int) throws -> (source: Int, bytes: [UInt8]) {
    throw CommunicatorError(.invalidRank, "receive: a group of one process has no other rank to receive from",
                            hint: "start the program with mpirun -np N to use several processes")
  }
}
