// Exercises MPICommunicator on real Open MPI ranks; started by KilnDistributedTests through
// `mpirun -np N`. Each rank prints one line of `key=value` results that the test checks.
import Foundation
import KilnDistributed

do {
  let world = try MPICommunicator.world()
  let rank = world.rank

  var sums: [Float] = (0..<5).map { Float($0 + rank) }
  try world.allReduceSum(&sums)

  // Two nonblocking sums in flight at once, completed in the opposite order to their start.
  let first = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4)
  let second = UnsafeMutableBufferPointer<Float>.allocate(capacity: 2)
  defer { first.deallocate(); second.deallocate() }
  for index in 0..<4 { first[index] = Float(10 * index + rank) }
  second[0] = Float(rank)
  second[1] = 1
  let firstRequest = try world.startAllReduceSum(first)
  let secondRequest = try world.startAllReduceSum(second)
  while try !secondRequest.test() {}
  try firstRequest.wait()
  let firstDoneAgain = try firstRequest.test()

  var maxima: [Double] = [Double(rank), -Double(rank)]
  try maxima.withUnsafeMutableBufferPointer { try world.allReduceMax($0) }

  var broadcasted: [Float] = rank == 0 ? [3.5, -1, 7] : [0, 0, 0]
  try world.broadcast(&broadcasted, root: 0)

  // A sum onto the last rank only: the others keep their own values.
  var reduced: [Float] = (0..<3).map { Float(100 * $0 + rank) }
  try reduced.withUnsafeMutableBufferPointer { try world.reduceSum($0, root: world.size - 1) }

  let bytes = try world.broadcast(bytes: rank == 0 ? Array("configuration".utf8) : [], root: 0)

  // A ring: each rank sends its rank to the next and receives from the previous.
  let next = (rank + 1) % world.size
  var ringFrom = -1
  if world.size > 1 {
    if rank % 2 == 0 {
      try world.send(Array("rank\(rank)".utf8), to: next, tag: 7)
      ringFrom = try world.receive(from: nil, tag: 7).source
    } else {
      ringFrom = try world.receive(from: nil, tag: 7).source
      try world.send(Array("rank\(rank)".utf8), to: next, tag: 7)
    }
  }
  try world.barrier()

  var invalidRankRejected = false
  do { try world.send([1], to: world.size, tag: 1) } catch let error as CommunicatorError {
    invalidRankRejected = error.code == .invalidRank
  }

  let line = [
    "rank=\(rank)", "size=\(world.size)",
    "sums=\(sums.map { String(Int($0)) }.joined(separator: ","))",
    "max=\(Int(maxima[0])),\(Int(maxima[1]))",
    "broadcast=\(broadcasted.map { String($0) }.joined(separator: ","))",
    "bytes=\(String(decoding: bytes, as: UTF8.self))",
    "reduced=\(reduced.map { String(Int($0)) }.joined(separator: ","))",
    "ringFrom=\(ringFrom)",
    "invalidRankRejected=\(invalidRankRejected)",
    "nonblockingSums=\(first.map { String(Int($0)) }.joined(separator: ","))",
    "nonblockingCounts=\(second.map { String(Int($0)) }.joined(separator: ","))",
    "nonblockingDone=\(firstDoneAgain)",
  ].joined(separator: " ")
  print(line)
  fflush(stdout)
  world.finalize()
} catch {
  FileHandle.standardError.write(Data("KilnMPICheck: \(error)\n".utf8))
  exit(1)
}
