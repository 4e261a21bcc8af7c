// Fuzz harnesses for the parsers that read what users write: delimited text, experiment files,
// `--set` overrides, dataset recipes and the `--where` language.
//
// Built two ways from this one file:
// - `make fuzz` compiles it with `-sanitize=fuzzer,address -D KILN_FUZZ`: `main` hands control to
//   libFuzzer's driver, which calls `fuzzOneInput`; the harness comes from `KILN_FUZZ_TARGET`.
// - A normal build makes a replay program, `KilnFuzz TARGET FILE...`, which runs the harness once
//   on each file: the tests replay the seed corpora and every input the fuzzers found this way.
//
// A harness passes when the parser returns or throws; a crash, a trap or a hang is a finding.
import KilnRecipes
import Foundation
import KilnTracking
import KilnData
import KilnConfiguration

/// One parser's harness: bytes in, a value or a thrown error out.
enum FuzzTarget: String, CaseIterable {
  case delimited, experiment, overrides, recipe, filter

  func run(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    switch self {
    case .delimited:
      // The first byte picks the options (delimiter, quoting, comments, header, encoding); the rest
      // is the file.
      guard let options = bytes.first else { return }
      let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
      let format = DelimitedFormat(
        delimiter: delimiters[Int(options & 3)], quote: options & 4 == 0 ? UInt8(ascii: "\"") : nil,
        comment: options & 8 == 0 ? nil : UInt8(ascii: "#"),
        encoding: options & 32 == 0 ? .utf8 : .latin1)
      guard let reader = try? DelimitedReader(bytes: Array(bytes.dropFirst()), name: "fuzz.csv", format: format,
                                              header: options & 16 == 0) else { return }
      while let record = try? reader.nextCheckedRecord() { _ = record }
    case .experiment:
      _ = try? ExperimentConfiguration.parse(text, file: "fuzz.yaml")
    case .overrides:
      // Each line is one `--set KEY=VALUE` applied to a small valid experiment.
      let overrides = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      _ = try? ExperimentConfiguration.parse(FuzzTarget.baseExperiment, file: "fuzz.yaml", overrides: overrides)
    case .recipe:
      _ = try? DatasetRecipe.parse(text, file: "dataset.yaml")
    case .filter:
      _ = try? RunFilter.parse(text)
      _ = try? RunFilter.parseSort(text)
    }
  }

  static let baseExperiment = """
    name: fuzz
    dataset: datasets/fuzz.h5
    model: {kind: mlp, hidden: [8]}
    training: {epochs: 2, batch_size: 16, seed: 1, optimizer: {kind: adam, lr: 0.001}}
    """
}

/// The harness libFuzzer drives, named by `KILN_FUZZ_TARGET` (read once, on the first input).
enum FuzzSelection {
  static let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["KILN_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
      FileHandle.standardError.write(Data("KILN_FUZZ_TARGET must be one of \(names), got '\(name)'\n".utf8))
      exit(2)
    }
    return target
  }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  FuzzSelection.target.run(Array(UnsafeBufferPointer(start: data, count: size)))
  return 0
}

#if KILN_FUZZ
/// libFuzzer's driver (`-sanitize=fuzzer` links it): parses libFuzzer's flags and runs the loop.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt
#endif

/// The entry point. Built for fuzzing it hands control to libFuzzer; otherwise it is the replay
/// program, `KilnFuzz TARGET FILE...`.
@main
struct KilnFuzzMain {
  static func main() {
    #if KILN_FUZZ
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
    #else
    let arguments = CommandLine.arguments
    guard arguments.count >= 3, let target = FuzzTarget(rawValue: arguments[1]) else {
      let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
      FileHandle.standardError.write(Data("usage: KilnFuzz \(names) FILE...\n".utf8))
      exit(2)
    }
    for path in arguments.dropFirst(2) {
      guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("KilnFuzz: cannot read \(path)\n".utf8))
        exit(2)
      }
      target.run(Array(data))
    }
    print("replayed \(arguments.count - 2) inputs through \(target.rawValue)")
    #endif
  }
}
