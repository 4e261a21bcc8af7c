import Foundation
import KilnTensor

/// Runs before any command: when OpenBLAS fell back to slow kernels on a processor with AVX2 or
/// AVX-512, re-executes this program once with `OPENBLAS_CORETYPE` naming the right kernels, and
/// says so on standard error. A value the user set is never overridden: Kiln only warns about it.
enum BLASKernelSelection {
  /// Set in the re-executed process so that it, and every process it starts, checks no further.
  static let marker = "KILN_OPENBLAS_SELECTED"

  static func apply() {
    let environment = ProcessInfo.processInfo.environment
    guard environment[marker] == nil else { return }
    switch BLASKernels.decisionForThisProcess(environment: environment) {
    case .keep:
      return
    case .userChoseFallback(let core, let suggested):
      FileHandle.standardError.write(Data("""
        kiln: OPENBLAS_CORETYPE selects OpenBLAS's \(core) kernels, which leave this processor's vector \
        units idle (about a fifth of the speed); unset it, or set it to \(suggested)

        """.utf8))
    case .select(let core, let fallback):
      FileHandle.standardError.write(Data("""
        kiln: OpenBLAS does not recognise this processor and chose its \(fallback) kernels; running with \
        OPENBLAS_CORETYPE=\(core) instead (set OPENBLAS_CORETYPE yourself to choose)

        """.utf8))
      setenv("OPENBLAS_CORETYPE", core, 1)
      setenv(marker, core, 1)
      reexecute()
    }
  }

  /// Replaces this process with a fresh copy of itself, with the same arguments; returns only if
  /// that fails, in which case the command runs on with the kernels it has.
  private static func reexecute() {
    let arguments = CommandLine.arguments
    var pointers = arguments.map { strdup($0) }
    pointers.append(nil)
    execv("/proc/self/exe", pointers)
    FileHandle.standardError.write(Data("kiln: could not re-execute (\(String(cString: strerror(errno)))); continuing with the slower kernels\n".utf8))
    for pointer in pointers { free(pointer) }
  }
}
