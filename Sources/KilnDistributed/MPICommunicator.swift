import CMPI

/// The world communicator of Open MPI: one instance per process, created once.
///
/// `MPICommunicator.world()` initialises MPI (thread level "funneled": only the thread that
/// initialised MPI calls it) and sets `MPI_ERRORS_RETURN`, so a failing call becomes a thrown
/// `CommunicatorError` carrying MPI's message instead of aborting the job. Call `finalize()`
/// before the process exits; after a failure that other ranks cannot see, call `abort(code:)` so
/// they do not wait forever in a collective.
public final class MPICommunicator: Communicator {
  public let rank: Int
  public let size: Int
  private let communicator: MPI_Comm
  private var finalized = false

  nonisolated(unsafe) private static var shared: MPICommunicator?

  /// The world communicator, initialising MPI on first use.
  public static func world() throws -> MPICommunicator {
    if let shared { return shared }
    let communicator = try MPICommunicator()
    shared = communicator
    return communicator
  }

  private init() throws {
    var initialized: Int32 = 0
    MPI_Initialized(&initialized)
    if initialized == 0 {
      var provided: Int32 = 0
      let status = MPI_Init_thread(nil, nil, kiln_mpi_thread_funneled(), &provided)
      guard status == kiln_mpi_success() else {
        throw CommunicatorError(.initialization, "MPI_Init_thread failed: \(MPICommunicator.errorString(status))",
                                hint: "check that Open MPI is installed (openmpi-bin) and the job was started with mpirun")
      }
    }
    communicator = kiln_mpi_comm_world()
    MPI_Comm_set_errhandler(communicator, kiln_mpi_errors_return())
    var rank: Int32 = 0, size: Int32 = 0
    MPI_Comm_rank(communicator, &rank)
    MPI_Comm_size(communicator, &size)
    self.rank = Int(rank)
    self.size = Int(size)
  }

  /// MPI's text for an error code.
  static func errorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    var length: Int32 = 0
    MPI_Error_string(code, &buffer, &length)
    return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  private func check(_ status: Int32, _ operation: String) throws {
    guard status == kiln_mpi_success() else {
      throw CommunicatorError(.operation, "\(operation) failed on rank \(rank) of \(size): \(MPICommunicator.errorString(status))")
    }
  }

  private func checkRank(_ other: Int, _ operation: String) throws {
    guard (0..<size).contains(other) else {
      throw CommunicatorError(.invalidRank, "\(operation): rank \(other) is outside 0..<\(size)")
    }
  }

  /// Runs `body` over `count` elements in pieces that fit MPI's 32-bit counts.
  private func inPieces(_ count: Int, _ body: (_ offset: Int, _ length: Int32) throws -> Void) rethrows {
    let piece = Int(Int32.max)
    var offset = 0
    while offset < count {
      let length = min(piece, count - offset)
      try body(offset, Int32(length))
      offset += length
    }
  }

  public func allReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws {
    guard let base = values.baseAddress else { return }
    try inPieces(values.count) { offset, length in
      try check(MPI_Allreduce(kiln_mpi_in_place(), base + offset, length, kiln_mpi_float(), kiln_mpi_sum(), communicator),
                "MPI_Allreduce(sum, \(values.count) floats)")
    }
  }

  public func allReduceSum(_ values: UnsafeMutableBufferPointer<Double>) throws {
    guard let base = values.baseAddress else { return }
    try inPieces(values.count) { offset, length in
      try check(MPI_Allreduce(kiln_mpi_in_place(), base + offset, length, kiln_mpi_double(), kiln_mpi_sum(), communicator),
                "MPI_Allreduce(sum, \(values.count) doubles)")
    }
  }

  public func startAllReduceSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> CommunicationRequest {
    guard let base = values.baseAddress, values.count > 0 else { return CompletedRequest() }
    let pieces = (values.count + Int(Int32.max) - 1) / Int(Int32.max)
    let operation = "MPI_Iallreduce(sum, \(values.count) floats)"
    return try MPIRequest(count: pieces, operation: operation, rank: rank) { requests in
      var piece = 0
      try inPieces(values.count) { offset, length in
        try check(MPI_Iallreduce(kiln_mpi_in_place(), base + offset, length, kiln_mpi_float(), kiln_mpi_sum(), communicator,
                                 requests + piece), operation)
        piece += 1
      }
    }
  }

  public func allReduceMax(_ values: UnsafeMutableBufferPointer<Double>) throws {
    guard let base = values.baseAddress else { return }
    try inPieces(values.count) { offset, length in
      try check(MPI_Allreduce(kiln_mpi_in_place(), base + offset, length, kiln_mpi_double(), kiln_mpi_max(), communicator),
                "MPI_Allreduce(max, \(values.count) doubles)")
    }
  }

  public func reduceSum(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws {
    try checkRank(root, "reduce")
    guard let base = values.baseAddress else { return }
    try inPieces(values.count) { offset, length in
      // The root sums in place; the others only send (their receive buffer is not read).
      let isRoot = rank == root
      let send: UnsafeRawPointer? = isRoot ? UnsafeRawPointer(kiln_mpi_in_place()) : UnsafeRawPointer(base + offset)
      let receive: UnsafeMutableRawPointer? = isRoot ? UnsafeMutableRawPointer(base + offset) : nil
      try check(MPI_Reduce(send, receive, length, kiln_mpi_float(), kiln_mpi_sum(), Int32(root), communicator),
                "MPI_Reduce(sum, \(values.count) floats to rank \(root))")
    }
  }

  public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, root: Int) throws {
    try checkRank(root, "broadcast")
    guard let base = values.baseAddress else { return }
    try inPieces(values.count) { offset, length in
      try check(MPI_Bcast(base + offset, length, kiln_mpi_float(), Int32(root), communicator),
                "MPI_Bcast(\(values.count) floats from rank \(root))")
    }
  }

  public func broadcast(bytes: [UInt8], root: Int) throws -> [UInt8] {
    try checkRank(root, "broadcast")
    var count = [Int64(bytes.count)]
    try check(MPI_Bcast(&count, 1, kiln_mpi_int64(), Int32(root), communicator), "MPI_Bcast(length)")
    var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count[0]))
    try buffer.withUnsafeMutableBufferPointer { pointer in
      guard let base = pointer.baseAddress else { return }
      try inPieces(pointer.count) { offset, length in
        try check(MPI_Bcast(base + offset, length, kiln_mpi_uint8(), Int32(root), communicator),
                  "MPI_Bcast(\(pointer.count) bytes from rank \(root))")
      }
    }
    return buffer
  }

  public func barrier() throws {
    try check(MPI_Barrier(communicator), "MPI_Barrier")
  }

  public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
    try checkRank(destination, "send")
    guard bytes.count <= Int(Int32.max) else {
      throw CommunicatorError(.messageTooLarge, "send: \(bytes.count) bytes exceed MPI's 2 GiB message limit")
    }
    try bytes.withUnsafeBufferPointer { pointer in
      try check(MPI_Send(pointer.baseAddress, Int32(bytes.count), kiln_mpi_uint8(), Int32(destination), Int32(tag), communicator),
                "MPI_Send(\(bytes.count) bytes to rank \(destination), tag \(tag))")
    }
  }

  public func receive(from source: Int?, tag: Int) throws -> (source: Int, bytes: [UInt8]) {
    if let source { try checkRank(source, "receive") }
    let sourceRank = source.map(Int32.init) ?? kiln_mpi_any_source()
    var status = MPI_Status()
    try check(MPI_Probe(sourceRank, Int32(tag), communicator, &status), "MPI_Probe(tag \(tag))")
    var count: Int32 = 0
    try check(MPI_Get_count(&status, kiln_mpi_uint8(), &count), "MPI_Get_count")
    var buffer = [UInt8](repeating: 0, count: Int(count))
    let sender = status.MPI_SOURCE
    try buffer.withUnsafeMutableBufferPointer { pointer in
      try check(MPI_Recv(pointer.baseAddress, count, kiln_mpi_uint8(), sender, Int32(tag), communicator, kiln_mpi_status_ignore()),
                "MPI_Recv(\(count) bytes from rank \(sender), tag \(tag))")
    }
    return (Int(sender), buffer)
  }

  /// Ends the MPI job on every rank with `code`: for failures the other ranks cannot observe.
  public func abort(code: Int32) -> Never {
    MPI_Abort(communicator, code)
    fatalError("MPI_Abort returned")
  }

  /// Shuts MPI down; collective over all ranks, once per process.
  public func finalize() {
    guard !finalized else { return }
    finalized = true
    MPI_Finalize()
  }
}

/// How a process learns whether `mpirun` started it: from the environment Open MPI sets.
public enum MPILaunch {
  /// Whether `environment` (pass `ProcessInfo.processInfo.environment`) shows an MPI launch with
  /// more than one rank or an explicit rank assignment.
  public static func isActive(in environment: [String: String]) -> Bool {
    environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil
  }
}
