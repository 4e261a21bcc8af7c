#include "KilnKernels.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#define relax() _mm_pause()
#else
#define relax() ((void)0)
#endif

// The helper threads that run the parts of Kiln's element-wise passes beside the calling thread.
//
// A pass is a job of `parts` parts. The caller publishes it, wakes sleeping helpers, and claims
// parts itself like any helper; it then waits only for parts a helper has already claimed. A helper
// that finishes a job spins for `spin_nanoseconds` before it sleeps, so a pass that follows within
// that time starts at once: a sleeping helper takes about 20 µs to wake on a virtual machine, a
// spinning one under 1 µs. Before a product on several BLAS threads `kiln_parts_park` sends the
// spinning helpers to sleep, leaving the cores to OpenBLAS's own threads.
//
// Job state is one 64-bit word, the job's generation above the next unclaimed part. A claim is a
// compare-and-swap on that word, so a helper that read an older job's fields can never run a part
// with them: the older job ends only when all of its parts are claimed.

enum { maximum_helpers = 63 };
static const int64_t spin_nanoseconds = 200 * 1000;

// One job at a time. A pass started inside a part finds it held (by its own caller) and runs inline.
static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;

static _Atomic(kiln_part_body) job_body;
static _Atomic(void *) job_context;
static _Atomic long job_parts;
static _Atomic int job_helpers;  // helpers with a lower index take part in the current job
static _Atomic uint64_t job_state;
static _Atomic long job_done;

static _Atomic uint32_t wake_word;  // the futex sleeping helpers wait on
static _Atomic int sleepers;
static _Atomic int parked;          // set: spinning helpers go to sleep
static int helper_count;            // guarded by job_lock

static uint32_t generation_of(uint64_t state) { return (uint32_t)(state >> 32); }

static int64_t now_nanoseconds(void) {
  struct timespec time;
  clock_gettime(CLOCK_MONOTONIC, &time);
  return (int64_t)time.tv_sec * 1000000000 + time.tv_nsec;
}

static void futex_wait(_Atomic uint32_t *word, uint32_t expected) {
#if defined(__linux__)
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
#else
  while (atomic_load(word) == expected) sched_yield();
#endif
}

static void futex_wake_all(_Atomic uint32_t *word) {
#if defined(__linux__)
  syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
#else
  (void)word;
#endif
}

// Claims and runs parts of job `generation` until none is left or a newer job is published.
static void run_parts(uint32_t generation) {
  uint64_t state = atomic_load_explicit(&job_state, memory_order_acquire);
  for (;;) {
    if (generation_of(state) != generation) return;
    long parts = atomic_load_explicit(&job_parts, memory_order_relaxed);
    kiln_part_body body = atomic_load_explicit(&job_body, memory_order_relaxed);
    void *context = atomic_load_explicit(&job_context, memory_order_relaxed);
    long part = (long)(uint32_t)state;
    if (part >= parts) return;
    if (atomic_compare_exchange_weak_explicit(&job_state, &state, state + 1, memory_order_acq_rel,
                                              memory_order_acquire)) {
      body(context, part, parts);
      atomic_fetch_add_explicit(&job_done, 1, memory_order_release);
      state = atomic_load_explicit(&job_state, memory_order_acquire);
    }
  }
}

// Returns 1 when a job newer than `seen` is published within the spin time, 0 when it should sleep.
static int spin_for_job(uint32_t seen) {
  int64_t deadline = now_nanoseconds() + spin_nanoseconds;
  for (unsigned round = 1;; round++) {
    if (generation_of(atomic_load_explicit(&job_state, memory_order_acquire)) != seen) return 1;
    if (atomic_load_explicit(&parked, memory_order_relaxed)) return 0;
    relax();
    if (round % 256 == 0 && now_nanoseconds() > deadline) return 0;
  }
}

static void sleep_until_job(uint32_t seen) {
  uint32_t word = atomic_load(&wake_word);
  atomic_fetch_add(&sleepers, 1);
  // The caller stores the job and then reads `sleepers`; this thread stores `sleepers` and then
  // reads the job. Both sequentially consistent, so one of the two sees the other.
  if (generation_of(atomic_load(&job_state)) == seen) futex_wait(&wake_word, word);
  atomic_fetch_sub(&sleepers, 1);
}

static void *helper_main(void *argument) {
  int index = (int)(intptr_t)argument;
  uint32_t seen = 0;
  for (;;) {
    uint32_t generation = generation_of(atomic_load_explicit(&job_state, memory_order_acquire));
    if (generation != seen) {
      seen = generation;
      if (index < atomic_load_explicit(&job_helpers, memory_order_relaxed)) run_parts(generation);
      continue;
    }
    if (!spin_for_job(seen)) sleep_until_job(seen);
  }
  return NULL;
}

// Starts helpers up to `wanted`; keeps going with fewer if a thread cannot be created.
static void start_helpers(int wanted) {
  while (helper_count < wanted) {
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, helper_main, (void *)(intptr_t)helper_count);
    pthread_attr_destroy(&attributes);
    if (failed) return;
    helper_count++;
  }
}

void kiln_parts_run(long parts, long threads, kiln_part_body body, void *context) {
  if (parts <= 1 || threads <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
    // One thread, a pass inside a pass, or another thread's pass running: this thread does it all.
    for (long part = 0; part < parts; part++) body(context, part, parts);
    return;
  }
  long wanted = (threads < parts ? threads : parts) - 1;
  start_helpers(wanted < maximum_helpers ? (int)wanted : maximum_helpers);
  atomic_store_explicit(&job_body, body, memory_order_relaxed);
  atomic_store_explicit(&job_context, context, memory_order_relaxed);
  atomic_store_explicit(&job_parts, parts, memory_order_relaxed);
  atomic_store_explicit(&job_helpers, (int)wanted, memory_order_relaxed);
  atomic_store_explicit(&job_done, 0, memory_order_relaxed);
  atomic_store_explicit(&parked, 0, memory_order_relaxed);
  uint32_t generation = generation_of(atomic_load_explicit(&job_state, memory_order_relaxed)) + 1;
  atomic_store(&job_state, (uint64_t)generation << 32);
  if (atomic_load(&sleepers) > 0) {
    atomic_fetch_add(&wake_word, 1);
    futex_wake_all(&wake_word);
  }
  run_parts(generation);
  // Parts claimed by helpers may still be running.
  for (unsigned round = 1; atomic_load_explicit(&job_done, memory_order_acquire) < parts; round++) {
    relax();
    if (round % 4096 == 0) sched_yield();
  }
  pthread_mutex_unlock(&job_lock);
}

void kiln_parts_park(void) { atomic_store_explicit(&parked, 1, memory_order_relaxed); }
