/// A collective started by a nonblocking call such as `Communicator.startAllReduceSum(_:)`.
///
/// Until the request has completed, the buffer it was started on belongs to the communicator: the
/// caller must neither read nor write it, nor free it. `wait()` completes the request; `test()`
/// lets the communicator make progress (Open MPI moves data only inside its own calls) and says
/// whether it is done. Requests complete in any order, but every rank must start the same
/// collectives in the same order.
public protocol CommunicationRequest: AnyObject {
  /// Whether the operation has finished; never blocks. After `true`, the buffer is the caller's again.
  func test() throws -> Bool
  /// Blocks until the operation has finished; the buffer is then the caller's again.
  func wait() throws
}

/// A request that finished when it was started (a group of one has nothing to exchange).
public final class CompletedRequest: CommunicationRequest {
  public init() {}
  public func test() throws -> Bool { true }
  public func wait() throws {}
}
