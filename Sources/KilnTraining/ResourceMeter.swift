import Foundation
import KilnDistributed
import KilnTracking

/// Measures one training run's `ResourceUsage`: started with the run, read once at its end.
///
/// Each rank measures its own process (`getrusage(RUSAGE_SELF)`: user + system CPU time since
/// the meter started, and the peak resident set, which Linux reports in KiB); at several ranks
/// the CPU times and peaks are summed and the largest peak taken through the communicator.
struct ResourceMeter {
  private let startedAt = DispatchTime.now().uptimeNanoseconds
  private let startingCPUSeconds = ResourceMeter.processCPUSeconds()

  /// The process's user + system CPU seconds so far.
  static func processCPUSeconds() -> Double {
    let usage = processUsage()
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// The process's peak resident set so far, in bytes.
  static func processPeakResidentBytes() -> Double {
    Double(processUsage().ru_maxrss) * 1024
  }

  private static func processUsage() -> rusage {
    var usage = rusage()
    // getrusage(RUSAGE_SELF) fails only for a bad pointer or `who`; a zeroed record then reads as no use.
    _ = getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage
  }

  /// Seconds since the meter started.
  var wallSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - startedAt) / 1e9 }

  /// This process's usage alone (`ranks` 1): what rank 0 records when the ranks cannot meet.
  func localUsage(samples: Int, trainingSeconds: Double) -> ResourceUsage {
    let peak = Self.processPeakResidentBytes()
    return ResourceUsage(wallSeconds: wallSeconds, cpuSeconds: Self.processCPUSeconds() - startingCPUSeconds,
                         peakResidentBytes: peak, peakResidentBytesSum: peak, ranks: 1,
                         samples: Double(samples), trainingSeconds: trainingSeconds)
  }

  /// The usage over all ranks; every rank must call it (it reduces over the communicator).
  /// Wall time, rows and step time are this rank's view, the same on every rank up to timing.
  func gatheredUsage(samples: Int, trainingSeconds: Double, communicator: Communicator) throws -> ResourceUsage {
    var usage = localUsage(samples: samples, trainingSeconds: trainingSeconds)
    guard communicator.size > 1 else { return usage }
    var sums = [usage.cpuSeconds, usage.peakResidentBytes]
    try communicator.allReduceSum(&sums)
    var largest = [usage.peakResidentBytes]
    try largest.withUnsafeMutableBufferPointer { try communicator.allReduceMax($0) }
    usage.cpuSeconds = sums[0]
    usage.peakResidentBytesSum = sums[1]
    usage.peakResidentBytes = largest[0]
    usage.ranks = communicator.size
    return usage
  }
}
