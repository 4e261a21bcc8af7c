#ifndef KILN_COPENBLAS_SHIM_H
#define KILN_COPENBLAS_SHIM_H
#include <cblas.h>

/// The number of threads OpenBLAS uses for level-3 routines (`openblas_get_num_threads`).
static inline int kiln_openblas_threads(void) { return openblas_get_num_threads(); }
/// Sets the number of OpenBLAS threads for this process.
static inline void kiln_openblas_set_threads(int count) { openblas_set_num_threads(count); }
/// The name of the kernel set OpenBLAS picked for this processor when it loaded
/// (`openblas_get_corename`, for example "Haswell", "Zen" or "Prescott").
static inline const char *kiln_openblas_core_name(void) { return openblas_get_corename(); }

/// Whether the processor's cpuid reports AVX2 (with FMA, which OpenBLAS's AVX2 kernels also use).
static inline int kiln_cpu_has_avx2(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 0;
#endif
}
/// Whether the processor's cpuid reports the AVX-512 foundation, byte/word and double/quad subsets
/// that OpenBLAS's SkylakeX kernels need.
static inline int kiln_cpu_has_avx512(void) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
      && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
  return 0;
#endif
}
#endif
