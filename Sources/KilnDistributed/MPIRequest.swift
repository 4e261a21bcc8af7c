import CMPI

/// The Open MPI requests of one nonblocking collective (several when the buffer is split into
/// pieces that fit MPI's 32-bit counts).
final class MPIRequest: CommunicationRequest {
  private let requests: UnsafeMutablePointer<MPI_Request?>
  private let count: Int
  private let operation: String
  private let rank: Int
  private var completed = false

  /// Takes `count` request slots that `start` fills with `MPI_I…` calls.
  init(count: Int, operation: String, rank: Int, start: (UnsafeMutablePointer<MPI_Request?>) throws -> Void) throws {
    requests = .allocate(capacity: max(count, 1))
    requests.initialize(repeating: kiln_mpi_request_null(), count: max(count, 1))
    self.count = count
    self.operation = operation
    self.rank = rank
    do {
      try start(requests)
    } catch {
      // Requests already started must finish before their buffer can be given back.
      MPI_Waitall(Int32(count), requests, kiln_mpi_statuses_ignore())
      completed = true
      throw error
    }
  }

  deinit {
    // A request dropped unfinished still owns its buffer: finish it rather than free memory MPI writes.
    if !completed { MPI_Waitall(Int32(count), requests, kiln_mpi_statuses_ignore()) }
    requests.deallocate()
  }

  func test() throws -> Bool {
    if completed { return true }
    var flag: Int32 = 0
    try check(MPI_Testall(Int32(count), requests, &flag, kiln_mpi_statuses_ignore()), "MPI_Testall")
    completed = flag != 0
    return completed
  }

  func wait() throws {
    if completed { return }
    let status = MPI_Waitall(Int32(count), requests, kiln_mpi_statuses_ignore())
    completed = true
    try check(status, "MPI_Waitall")
  }

  private func check(_ status: Int32, _ call: String) throws {
    guard status == kiln_mpi_success() else {
      completed = true
      throw CommunicatorError(.operation, "\(call) for \(operation) failed on rank \(rank): \(MPICommunicator.errorString(status))")
    }
  }
}
