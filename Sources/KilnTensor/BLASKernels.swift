import COpenBLAS

/// Which OpenBLAS kernels this process runs, and whether they are a fallback that leaves the
/// processor's vector units idle.
///
/// Debian's OpenBLAS 0.3.21 chooses its kernels once, when it loads, from the processor's identity.
/// On processors newer than the library it does not recognise the model and falls back to kernels
/// for a much older core (Prescott, Nehalem, Sandybridge, …), about a fifth of the speed, even when
/// cpuid reports AVX2 or AVX-512. `OPENBLAS_CORETYPE` names the kernels to load instead; it must be
/// set before the library loads, so the CLI re-executes itself once with it (see `kiln`'s entry point).
public enum BLASKernels {
  /// The kernel sets that use AVX2 or wider vectors; any other name on an AVX2 processor is a fallback.
  static let wideVectorCores: Set<String> = [
    "haswell", "zen", "skylakex", "cooperlake", "sapphirerapids", "excavator",
  ]

  /// What to do about the kernels OpenBLAS picked.
  public enum Decision: Equatable, Sendable {
    /// The kernels suit the processor (or it has no AVX2): nothing to do.
    case keep
    /// A fallback on a processor with wide vectors: run again with `OPENBLAS_CORETYPE` set to `core`.
    case select(core: String, fallback: String)
    /// The user set `OPENBLAS_CORETYPE` to slow kernels; Kiln leaves it and says so.
    case userChoseFallback(core: String, suggested: String)
  }

  /// The decision for OpenBLAS's `coreName` on a processor with the given vector units, given the
  /// value of `OPENBLAS_CORETYPE` in the environment (nil when unset or empty).
  public static func decide(coreName: String, hasAVX2: Bool, hasAVX512: Bool, userCoreType: String?) -> Decision {
    guard hasAVX2, !wideVectorCores.contains(coreName.lowercased()) else { return .keep }
    let suggested = hasAVX512 ? "SkylakeX" : "Haswell"
    if let userCoreType, !userCoreType.isEmpty {
      return .userChoseFallback(core: coreName, suggested: suggested)
    }
    return .select(core: suggested, fallback: coreName)
  }

  /// The kernel set OpenBLAS loaded in this process.
  public static var loadedCoreName: String {
    guard let name = kiln_openblas_core_name() else { return "unknown" }
    return String(cString: name)
  }

  /// The decision for this process and processor, from its environment.
  public static func decisionForThisProcess(environment: [String: String]) -> Decision {
    decide(coreName: loadedCoreName, hasAVX2: kiln_cpu_has_avx2() != 0, hasAVX512: kiln_cpu_has_avx512() != 0,
           userCoreType: environment["OPENBLAS_CORETYPE"])
  }
}
