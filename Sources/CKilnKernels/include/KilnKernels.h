// Element-wise kernels of the training step, written in C so that one binary carries a baseline
// x86-64 version and an AVX2 version of each and uses the AVX2 one where the processor has it
// (Swift code is compiled for the baseline only, where these loops get 4-lane SSE). Every
// operation is a single IEEE operation in the same order in both versions, with floating-point
// contraction off, so both give the same bits. Callers split large passes into parts (KilnTensor's
// ElementwiseParallelism).
#ifndef KILN_KERNELS_H
#define KILN_KERNELS_H

#include <stddef.h>

/// Adam's update of `count` parameters (Kingma & Ba 2015; Loshchilov & Hutter 2019 for `shrink`):
///   g ← gradient + l2·θ
///   m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g·g   (each flushed to 0 below `threshold`)
///   θ ← θ·shrink − rate·(m·first_correction) / (√|v·second_correction| + ε)
void kiln_adam_update(size_t count, const float *gradient, float *first_moment, float *second_moment,
                      float *parameter, float beta1, float beta2, float epsilon, float rate, float l2,
                      float shrink, float first_correction, float second_correction, float threshold);

/// x ← max(x, 0) in place (NaN becomes 0).
void kiln_relu_in_place(size_t count, float *values);

/// For rows 0..<rows of a row-major [rows, columns] matrix and columns first..<end:
/// result[r, c] = activation[r, c] > 0 ? gradient[r, c] : 0, and, when `sums` is not NULL,
/// sums[c] += result[r, c] row by row in order. `result` may be `gradient` (in place); no other
/// arguments may overlap.
void kiln_masked_rows(size_t rows, size_t columns, size_t first, size_t end, const float *gradient,
                      const float *activation, float *result, float *sums);

/// A one-output head on a ReLU layer, forward, for rows first..<end of a row-major [rows, columns]
/// matrix of pre-activations: values ← max(values, 0) in place (NaN becomes 0), and
/// out[r] = Σ_c values[r, c]·weight[c] + bias, summed in eight interleaved running sums (column c
/// into sum c mod 8) added pairwise, then the remaining columns in order, then the bias.
void kiln_relu_rows_dot(size_t first, size_t end, size_t columns, float *values, const float *weight, float bias,
                        float *out);

/// The same head, backward, for columns first..<end of every row of [rows, columns]: with
/// g = gradient[r] (∂loss/∂out[r]) and h = hidden[r, c] (the ReLU's output),
/// result[r, c] = h > 0 ? g·weight[c] : 0 (∂loss/∂pre-activation), bias_sums[c] += result[r, c]
/// and weight_sums[c] += g·h, row by row in order. `result` may be `hidden` (in place); no other
/// arguments may overlap.
void kiln_head_backward(size_t rows, size_t columns, size_t first, size_t end, const float *hidden,
                        const float *gradient, const float *weight, float *result, float *bias_sums,
                        float *weight_sums);

/// 1 when OpenBLAS's helper threads were told, as the process loaded, to sleep as soon as a product
/// ends instead of spinning for 2^28 cycles (OpenBLASThreads.c); 0 when the user set
/// OPENBLAS_THREAD_TIMEOUT or this OpenBLAS offers no way to change it.
int kiln_openblas_helpers_sleep_when_idle(void);

/// One part of an element-wise pass: `body(context, part, parts)`.
typedef void (*kiln_part_body)(void *context, long part, long parts);

/// Runs body(context, part, parts) for every part in 0..<parts on up to `threads` threads, the
/// calling thread among them, and returns when all have run (PartPool.c). Parts run inline when
/// `threads` or `parts` is 1, inside another pass, or while another thread's pass holds the helpers.
void kiln_parts_run(long parts, long threads, kiln_part_body body, void *context);

/// Tells helpers that are spinning after a pass to sleep now: call before work that needs the
/// cores, such as a product on several BLAS threads. Cheap (one store).
void kiln_parts_park(void);

/// values[0..<count] ← 0 with streaming stores on x86-64: the lines are written without being read
/// first and without taking cache space. For large outputs written next by sgemm (β = 1), where a
/// plain fill would first read every line of a buffer that is not in the cache.
void kiln_zero_streaming(size_t count, float *values);

/// Which version the kernels run: 1 for AVX2, 0 for the baseline.
int kiln_kernels_version(void);

/// Selects the baseline (0) or the AVX2 version (1); returns the version now in use, which stays
/// the baseline where the processor lacks AVX2. Both give the same bits, so this is for tests and
/// benchmarks.
int kiln_kernels_select(int version);

#endif
