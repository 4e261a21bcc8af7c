#ifndef KILN_COPENBLAS_SHIM_H
#define KILN_COPENBLAS_SHIM_H
#include <cblas.h>

/// The number of threads OpenBLAS uses for level-3 routines (`openblas_get_num_threads`).
static inline int kiln_openblas_threads(void) { return openblas_get_num_threads(); }
/// Sets the number of OpenBLAS threads for this process.
static inline void kiln_openblas_set_threads(int count) { openblas_set_num_threads(count); }
#endif
