#include "KilnKernels.h"

#include <stdlib.h>

// Three OpenBLAS functions outside cblas.h that the pthreads build exports. They are weak, so a
// process without them (another OpenBLAS build, or none loaded) still links and loads; each is
// checked before it is called.
extern void openblas_read_env(void) __attribute__((weak));
extern int blas_thread_shutdown_(void) __attribute__((weak));
extern int openblas_thread_timeout(void) __attribute__((weak));

static int helpers_sleep;

// OpenBLAS's helper threads spin on their cores (`sched_yield`) for 2^28 cycles after each product
// before they sleep, taking the cores from the element-wise passes between products. OpenBLAS reads
// OPENBLAS_THREAD_TIMEOUT (2^n cycles, n clamped to 4...30) when its threads start, and its own
// initialiser has run before this one (a library's initialisers run before its dependents'). So,
// while the process is still single-threaded, this sets the variable to 4, has OpenBLAS reread the
// environment, removes the variable again (child processes, a reference script's NumPy among
// them, keep their own default) and stops the threads: the next product on several threads starts
// them with the new timeout. A value the user set stands.
__attribute__((constructor)) static void make_openblas_helpers_sleep_when_idle(void) {
  if (!openblas_read_env || !blas_thread_shutdown_ || !openblas_thread_timeout) return;
  if (getenv("OPENBLAS_THREAD_TIMEOUT") || setenv("OPENBLAS_THREAD_TIMEOUT", "4", 0) != 0) return;
  openblas_read_env();
  unsetenv("OPENBLAS_THREAD_TIMEOUT");
  blas_thread_shutdown_();
  helpers_sleep = openblas_thread_timeout() == 4;
}

int kiln_openblas_helpers_sleep_when_idle(void) { return helpers_sleep; }
