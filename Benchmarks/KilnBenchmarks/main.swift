// Kiln's numeric benchmarks (issue 2). Each line of output is one JSON object with at least
// name, kiln, reference, ratio and units. Run: swift build -c release --product KilnBenchmarks.
import KilnAutograd
import KilnTensor
import KilnRandom
import KilnNN
import COpenBLAS
import Foundation
import KilnOptim

/// Seconds on a monotonic clock.
func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

/// Prints one JSON line with the required fields first, then `extra` in key order.
func emit(name: String, kiln: Double, reference: Double, units: String, extra: [String: Any] = [:]) {
  var fields = [
    "\"name\": \"\(name)\"", "\"kiln\": \(round3(kiln))", "\"reference\": \(round3(reference))",
    "\"ratio\": \(round3(reference == 0 ? 0 : kiln / reference))", "\"units\": \"\(units)\"",
  ]
  var extra = extra
  // OpenBLAS picks its kernels from the CPU model; an unrecognised CPU falls back to slow generic
  // ones (e.g. "Prescott"), which OPENBLAS_CORETYPE overrides. Recording the choice explains figures.
  extra["blas_core"] = String(cString: openblas_get_corename())
  for key in extra.keys.sorted() {
    let value = extra[key]!
    fields.append(value is String ? "\"\(key)\": \"\(value)\"" : "\"\(key)\": \(value)")
  }
  print("{" + fields.joined(separator: ", ") + "}")
  fflush(stdout)
}

func round3(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// CPU seconds used by the calling thread. With one OpenBLAS thread all work runs on this thread,
/// so this excludes time lost to other processes on a shared machine.
func threadCPUTime() -> Double {
  var spec = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
  return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// Best wall-clock and best calling-thread CPU seconds per call.
struct Timing {
  var wall = Double.infinity
  var cpu = Double.infinity
}

/// The best time per call of `body` over `rounds` rounds of `repetitions` calls.
func bestTime(rounds: Int, repetitions: Int, _ body: () -> Void) -> Timing {
  var best = Timing()
  for _ in 0..<rounds {
    let start = now(), cpuStart = threadCPUTime()
    for _ in 0..<repetitions { body() }
    best.wall = min(best.wall, (now() - start) / Double(repetitions))
    best.cpu = min(best.cpu, (threadCPUTime() - cpuStart) / Double(repetitions))
  }
  return best
}

/// The best time per call of `first` and of `second`, measured in alternating rounds so that both
/// see the same machine load.
func bestTimes(
  rounds: Int, firstRepetitions: Int, _ first: () -> Void, secondRepetitions: Int, _ second: () -> Void
) -> (Timing, Timing) {
  var best = (Timing(), Timing())
  for _ in 0..<rounds {
    let a = bestTime(rounds: 1, repetitions: firstRepetitions, first)
    let b = bestTime(rounds: 1, repetitions: secondRepetitions, second)
    best.0 = Timing(wall: min(best.0.wall, a.wall), cpu: min(best.0.cpu, a.cpu))
    best.1 = Timing(wall: min(best.1.wall, b.wall), cpu: min(best.1.cpu, b.cpu))
  }
  return best
}

/// The time per call of each body in each of `rounds` rounds, the bodies taking turns within a
/// round, so that each round's figures see the same machine load.
func roundTimes(rounds: Int, _ bodies: [(repetitions: Int, body: () -> Void)]) -> [[Timing]] {
  (0..<rounds).map { _ in bodies.map { bestTime(rounds: 1, repetitions: $0.repetitions, $0.body) } }
}

/// The median of `values` (the mean of the middle two for an even count).
func median(_ values: [Double]) -> Double {
  let sorted = values.sorted(), middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// Extra fields with the CPU-time figures, meaningful with one thread only.
func cpuFields(threads: Int, kiln: Double, reference: Double?) -> [String: Any] {
  guard threads == 1 else { return [:] }
  var fields: [String: Any] = ["kiln_cpu_time": round3(kiln)]
  if let reference {
    fields["reference_cpu_time"] = round3(reference)
    fields["ratio_cpu_time"] = round3(kiln / reference)
  }
  return fields
}

/// The host's state while a benchmark ran: the 1-minute load average at its end, and the share of
/// CPU time that the hypervisor gave to other machines meanwhile ("steal", /proc/stat). On a shared
/// host both move the figures, so each figure is printed with them. Empty where /proc is missing.
struct HostState {
  let start = HostState.cpuTicks()

  /// user, nice, system, idle, iowait, irq, softirq and steal ticks summed over all processors.
  static func cpuTicks() -> [Int]? {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first, line.hasPrefix("cpu ") else { return nil }
    let ticks = line.split(separator: " ").dropFirst().prefix(8).compactMap { Int($0) }
    return ticks.count == 8 ? ticks : nil
  }

  var fields: [String: Any] {
    var fields: [String: Any] = [:]
    var loads = [Double](repeating: 0, count: 3)
    if getloadavg(&loads, 3) > 0 { fields["load_average"] = round3(loads[0]) }
    if let start, let end = HostState.cpuTicks() {
      let deltas = zip(start, end).map { $1 - $0 }, total = deltas.reduce(0, +)
      if total > 0 { fields["steal_percent"] = round3(100 * Double(deltas[7]) / Double(total)) }
    }
    return fields
  }
}

/// A closure running raw `cblas_sgemm` for C[n,n] = A[n,n]·B[n,n] on preallocated buffers. With
/// `prezeroed`, C is first zeroed by a vectorised fill split over the threads and sgemm adds onto
/// it (β = 1), instead of sgemm's own zeroing (β = 0). (Kiln zeroes a fresh output of this size
/// with streaming stores, which suit a buffer that is not in the cache; this C stays in it.)
func rawSgemm(size n: Int, prezeroed: Bool = false) -> () -> Void {
  let a = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  let b = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  let c = UnsafeMutablePointer<Float>.allocate(capacity: n * n)
  a.initialize(repeating: 0.5, count: n * n)
  b.initialize(repeating: 0.25, count: n * n)
  c.initialize(repeating: 0, count: n * n)
  return {
    BLASThreads.prepare(multiplyAdds: n * n * n)
    if prezeroed {
      ElementwiseParallelism.forEachPart(of: n * n) { range in (c + range.lowerBound).update(repeating: 0, count: range.count) }
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n),
                b, Int32(n), prezeroed ? 1 : 0, c, Int32(n))
  }
}

func benchmarkGemm(threads: Int) {
  BLASThreads.maximum = threads
  var generator = SeededGenerator(seed: 1)
  for size in [256, 512, 1024, 2048] {
    let host = HostState()
    let a = Tensor.randomUniform(shape: [size, size], using: &generator)
    let b = Tensor.randomUniform(shape: [size, size], using: &generator)
    let repetitions = max(1, (1 << 28) / (size * size * size))
    let flops = 2 * Double(size) * Double(size) * Double(size)
    let (raw, kiln) = bestTimes(rounds: 5, firstRepetitions: repetitions, rawSgemm(size: size),
                                secondRepetitions: repetitions) { _ = a.matmul(b) }
    var extra: [String: Any] = ["size": size, "threads": threads]
    extra.merge(cpuFields(threads: threads, kiln: flops / kiln.cpu / 1e9, reference: flops / raw.cpu / 1e9)) { $1 }
    extra.merge(host.fields) { $1 }
    emit(name: "gemm", kiln: flops / kiln.wall / 1e9, reference: flops / raw.wall / 1e9, units: "GFLOP/s",
         extra: extra)
  }
}

/// Builds batches of generated data: features uniform in [0, 1), labels from a fixed linear rule.
func makeBatches(count: Int, batchSize: Int, features: Int, generator: inout SeededGenerator) -> [(Tensor, Tensor)] {
  (0..<count).map { _ in
    let x = Tensor.randomUniform(shape: [batchSize, features], using: &generator)
    let y = x.sum(alongAxes: [1]).greater(than: Float(features) / 2)
    return (x, y)
  }
}

/// A closure running one full training step (forward, backward, Adam update) of an MLP on
/// pre-generated batches, after a few warm-up steps.
func trainingStep(sizes: [Int], batchSize: Int) -> () -> Void {
  var generator = SeededGenerator(seed: 7)
  var model = MLP(inputSize: sizes[0], hiddenSizes: Array(sizes.dropFirst().dropLast()),
                  outputSize: sizes.last!, activation: .relu, generator: &generator)
  var optimizer = try! Adam(learningRate: 1e-3)
  let batches = makeBatches(count: 8, batchSize: batchSize, features: sizes[0], generator: &generator)
  var index = 0
  let step = {
    let (x, y) = batches[index % batches.count]
    index += 1
    let (_, gradients) = valueWithGradient(at: model) { model in
      binaryCrossEntropy(logits: model(Variable(x)), labels: y)
    }
    optimizer.update(&model, along: gradients)
  }
  for _ in 0..<3 { step() }
  return step
}

func benchmarkMLPSmall(threads: Int) {
  BLASThreads.maximum = threads
  let host = HostState()
  let step = trainingStep(sizes: [104, 64, 64, 1], batchSize: 256)
  for _ in 0..<(quick ? 0 : 200) { step() }
  let timing = bestTime(rounds: quick ? 1 : 5, repetitions: quick ? 200 : 2000, step)
  // Reference: JAX with a jit-compiled step on this machine class (issue 2); the reference scripts
  // under benchmarks/reference/ measure it and PyTorch eager on the same machine.
  var extra: [String: Any] = [
    "threads": threads, "step_ms": round3(timing.wall * 1e3), "reference_source": "jax-jit-orientation",
  ]
  extra.merge(cpuFields(threads: threads, kiln: 256 / timing.cpu, reference: nil)) { $1 }
  extra.merge(host.fields) { $1 }
  emit(name: "mlp_small", kiln: 256 / timing.wall, reference: 890_000, units: "samples/s", extra: extra)
}

/// The GEMM-bound MLP's training step against raw sgemm, in alternating rounds: each round times
/// ten 1024³ products and five steps (about half a second each), and the figures are the medians
/// over the rounds (the ratio is that of the medians; `round_ratio_*` give the spread of the
/// per-round ratios). Kiln zeroes a large product's output itself and calls sgemm with β = 1,
/// which is faster than sgemm's own zeroing; `reference_prezeroed` is raw sgemm called that way
/// (ten more products per round), and `ratio_prezeroed` the step against it.
func benchmarkMLPGemm(threads: Int) {
  BLASThreads.maximum = threads
  let host = HostState()
  let batch = 1024.0, width = 1024.0, input = 1024.0
  // Matrix-multiply FLOPs of one step: forward (2·N·P), weight gradients (2·N·P) and input gradients
  // of every layer but the first (2·N·(P − input·width)), P = the multiply-accumulates per sample.
  let perSample = input * width + width * width + width
  let flops = 2 * batch * perSample * 2 + 2 * batch * (perSample - input * width)
  let rawFlops = 2 * 1024.0 * 1024 * 1024
  let rounds = roundTimes(rounds: quick ? 1 : 11, [
    (10, rawSgemm(size: 1024)), (5, trainingStep(sizes: [1024, 1024, 1024, 1], batchSize: 1024)),
    (10, rawSgemm(size: 1024, prezeroed: true)),
  ])
  let raw = rounds.map { rawFlops / $0[0].wall / 1e9 }, step = rounds.map { flops / $0[1].wall / 1e9 }
  let prezeroed = rounds.map { rawFlops / $0[2].wall / 1e9 }
  let ratios = zip(step, raw).map { $0 / $1 }.sorted()
  var extra: [String: Any] = [
    "threads": threads, "rounds": rounds.count, "step_ms": round3(median(rounds.map { $0[1].wall }) * 1e3),
    "round_ratio_min": round3(ratios[0]), "round_ratio_median": round3(median(ratios)),
    "round_ratio_max": round3(ratios[ratios.count - 1]),
    "reference_prezeroed": round3(median(prezeroed)), "ratio_prezeroed": round3(median(step) / median(prezeroed)),
  ]
  extra.merge(cpuFields(threads: threads, kiln: flops / rounds.map { $0[1].cpu }.min()! / 1e9,
                        reference: rawFlops / rounds.map { $0[0].cpu }.min()! / 1e9)) { $1 }
  extra.merge(host.fields) { $1 }
  emit(name: "mlp_gemm", kiln: median(step), reference: median(raw), units: "GFLOP/s", extra: extra)
}

// Arguments: benchmark names (default: all) and optionally `threads=N` (default: 1 and 2).
let arguments = Array(CommandLine.arguments.dropFirst())
let threadCounts = arguments.first { $0.hasPrefix("threads=") }.map { [Int($0.dropFirst(8)) ?? 1] } ?? [1, 2]
// `quick` runs few steps (for profiling under callgrind).
let quick = arguments.contains("quick")
let selected = Set(arguments.filter { !$0.hasPrefix("threads=") && $0 != "quick" })
func wants(_ name: String) -> Bool { selected.isEmpty || selected.contains(name) }
for threads in threadCounts {
  if wants("gemm") { benchmarkGemm(threads: threads) }
  if wants("mlp_small") { benchmarkMLPSmall(threads: threads) }
  if wants("mlp_gemm") { benchmarkMLPGemm(threads: threads) }
}
