#include "KilnKernels.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

// No a·b + c may become a fused multiply-add: both versions must round every operation alike.
#pragma clang fp contract(off)

#if defined(__x86_64__)
#define KILN_AVX2 __attribute__((target("avx2")))
#define KILN_HAS_AVX2_VERSION 1
#else
#define KILN_AVX2
#define KILN_HAS_AVX2_VERSION 0
#endif

#define KILN_BODY static inline __attribute__((always_inline))

KILN_BODY void adam_body(size_t count, const float *restrict gradient, float *restrict first_moment,
                         float *restrict second_moment, float *restrict parameter, float beta1, float beta2,
                         float epsilon, float rate, float l2, float shrink, float first_correction,
                         float second_correction, float threshold) {
  const float keep1 = 1 - beta1, keep2 = 1 - beta2;
  for (size_t i = 0; i < count; i++) {
    const float theta = parameter[i];
    const float grad = gradient[i] + l2 * theta;
    float first = beta1 * first_moment[i] + keep1 * grad;
    float second = beta2 * second_moment[i] + keep2 * grad * grad;
    // Moments of parameters that stop receiving gradient decay geometrically into the subnormal
    // range, where arithmetic is about 100× slower; flush them to zero.
    first = fabsf(first) < threshold ? 0 : first;
    second = second < threshold ? 0 : second;
    first_moment[i] = first;
    second_moment[i] = second;
    parameter[i] = theta * shrink - rate * (first * first_correction) / (sqrtf(fabsf(second * second_correction)) + epsilon);
  }
}

KILN_BODY void relu_body(size_t count, float *restrict values) {
  for (size_t i = 0; i < count; i++) {
    const float value = values[i];
    values[i] = value > 0 ? value : 0;
  }
}

// In place: `values` is both the gradient and the result.
KILN_BODY void masked_rows_in_place_body(size_t rows, size_t columns, size_t first, size_t end, float *restrict values,
                                         const float *restrict activation, float *restrict sums) {
  for (size_t row = 0; row < rows; row++) {
    float *values_row = values + row * columns;
    const float *activation_row = activation + row * columns;
    for (size_t column = first; column < end; column++) {
      const float value = values_row[column], mask = activation_row[column];
      values_row[column] = mask > 0 ? value : 0;
    }
    if (sums) {
      for (size_t column = first; column < end; column++) sums[column] += values_row[column];
    }
  }
}

KILN_BODY void masked_rows_body(size_t rows, size_t columns, size_t first, size_t end, const float *restrict gradient,
                                const float *restrict activation, float *restrict result, float *restrict sums) {
  for (size_t row = 0; row < rows; row++) {
    const float *gradient_row = gradient + row * columns, *activation_row = activation + row * columns;
    float *result_row = result + row * columns;
    for (size_t column = first; column < end; column++) {
      const float value = gradient_row[column], mask = activation_row[column];
      result_row[column] = mask > 0 ? value : 0;
    }
    if (sums) {
      for (size_t column = first; column < end; column++) sums[column] += result_row[column];
    }
  }
}

// The end of one row of relu_rows_dot: the eight running sums added pairwise, then the ReLU and
// the products of the columns from `column` on (fewer than eight), in order, then the bias.
KILN_BODY float relu_dot_row_end(const float lanes[8], float *restrict values_row, const float *restrict weight,
                                 size_t column, size_t columns, float bias) {
  float total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
  for (; column < columns; column++) {
    const float value = values_row[column];
    const float active = value > 0 ? value : 0;
    values_row[column] = active;
    total += active * weight[column];
  }
  return total + bias;
}

// ReLU in place on rows first..<end, and each row's dot product with `weight` plus `bias`. Eight
// running sums in a fixed order (lane l takes the columns ≡ l mod 8), so that both versions and
// every split of the rows give the same bits.
KILN_BODY void relu_rows_dot_body(size_t first, size_t end, size_t columns, float *restrict values,
                                  const float *restrict weight, float bias, float *restrict out) {
  for (size_t row = first; row < end; row++) {
    float *values_row = values + row * columns;
    float lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t column = 0;
    for (; column + 8 <= columns; column += 8) {
      for (size_t lane = 0; lane < 8; lane++) {
        const float value = values_row[column + lane];
        const float active = value > 0 ? value : 0;
        values_row[column + lane] = active;
        lanes[lane] += active * weight[column + lane];
      }
    }
    out[row] = relu_dot_row_end(lanes, values_row, weight, column, columns, bias);
  }
}

// The backward pass of a one-output head on a ReLU layer, for columns first..<end of every row.
KILN_BODY void head_backward_body(size_t rows, size_t columns, size_t first, size_t end,
                                  const float *restrict hidden, const float *restrict gradient,
                                  const float *restrict weight, float *restrict result, float *restrict bias_sums,
                                  float *restrict weight_sums) {
  for (size_t row = 0; row < rows; row++) {
    const float scale = gradient[row];
    const float *hidden_row = hidden + row * columns;
    float *result_row = result + row * columns;
    for (size_t column = first; column < end; column++) {
      const float activation = hidden_row[column], product = scale * weight[column];
      const float value = activation > 0 ? product : 0;
      result_row[column] = value;
      bias_sums[column] += value;
      weight_sums[column] += scale * activation;
    }
  }
}

// In place: `values` holds the ReLU's output and receives the result.
KILN_BODY void head_backward_in_place_body(size_t rows, size_t columns, size_t first, size_t end,
                                           float *restrict values, const float *restrict gradient,
                                           const float *restrict weight, float *restrict bias_sums,
                                           float *restrict weight_sums) {
  for (size_t row = 0; row < rows; row++) {
    const float scale = gradient[row];
    float *values_row = values + row * columns;
    for (size_t column = first; column < end; column++) {
      const float activation = values_row[column], product = scale * weight[column];
      const float value = activation > 0 ? product : 0;
      values_row[column] = value;
      bias_sums[column] += value;
      weight_sums[column] += scale * activation;
    }
  }
}

// Each kernel twice: the same body compiled for the baseline and for AVX2.
#define KILN_ADAM_PARAMETERS size_t count, const float *gradient, float *first_moment, float *second_moment, \
  float *parameter, float beta1, float beta2, float epsilon, float rate, float l2, float shrink,          \
  float first_correction, float second_correction, float threshold
#define KILN_ADAM_ARGUMENTS count, gradient, first_moment, second_moment, parameter, beta1, beta2, epsilon, \
  rate, l2, shrink, first_correction, second_correction, threshold

static void adam_baseline(KILN_ADAM_PARAMETERS) { adam_body(KILN_ADAM_ARGUMENTS); }
KILN_AVX2 static void adam_avx2(KILN_ADAM_PARAMETERS) { adam_body(KILN_ADAM_ARGUMENTS); }
static void relu_baseline(size_t count, float *values) { relu_body(count, values); }
KILN_AVX2 static void relu_avx2(size_t count, float *values) { relu_body(count, values); }
static void masked_rows_baseline(size_t rows, size_t columns, size_t first, size_t end, const float *gradient,
                                 const float *activation, float *result, float *sums) {
  if (result == gradient) {
    masked_rows_in_place_body(rows, columns, first, end, result, activation, sums);
  } else {
    masked_rows_body(rows, columns, first, end, gradient, activation, result, sums);
  }
}
KILN_AVX2 static void masked_rows_avx2(size_t rows, size_t columns, size_t first, size_t end, const float *gradient,
                                       const float *activation, float *result, float *sums) {
  if (result == gradient) {
    masked_rows_in_place_body(rows, columns, first, end, result, activation, sums);
  } else {
    masked_rows_body(rows, columns, first, end, gradient, activation, result, sums);
  }
}

#define KILN_RELU_ROWS_DOT_PARAMETERS size_t first, size_t end, size_t columns, float *values, const float *weight, \
  float bias, float *out
#define KILN_HEAD_BACKWARD_PARAMETERS size_t rows, size_t columns, size_t first, size_t end, const float *hidden, \
  const float *gradient, const float *weight, float *result, float *bias_sums, float *weight_sums
static void relu_rows_dot_baseline(KILN_RELU_ROWS_DOT_PARAMETERS) {
  relu_rows_dot_body(first, end, columns, values, weight, bias, out);
}
#if defined(__x86_64__)
// relu_rows_dot_body with its eight running sums as the lanes of one vector (LLVM does not find
// this form itself): the same operations in the same order, so the same bits.
KILN_AVX2 static void relu_rows_dot_avx2(KILN_RELU_ROWS_DOT_PARAMETERS) {
  const __m256 zero = _mm256_setzero_ps();
  for (size_t row = first; row < end; row++) {
    float *values_row = values + row * columns;
    __m256 lanes = zero;
    size_t column = 0;
    for (; column + 8 <= columns; column += 8) {
      // max(x, 0) returns its second operand when x is NaN, as `x > 0 ? x : 0` does.
      const __m256 active = _mm256_max_ps(_mm256_loadu_ps(values_row + column), zero);
      _mm256_storeu_ps(values_row + column, active);
      lanes = _mm256_add_ps(lanes, _mm256_mul_ps(active, _mm256_loadu_ps(weight + column)));
    }
    float lane[8];
    _mm256_storeu_ps(lane, lanes);
    out[row] = relu_dot_row_end(lane, values_row, weight, column, columns, bias);
  }
}
#else
static void relu_rows_dot_avx2(KILN_RELU_ROWS_DOT_PARAMETERS) {
  relu_rows_dot_body(first, end, columns, values, weight, bias, out);
}
#endif
static void head_backward_baseline(KILN_HEAD_BACKWARD_PARAMETERS) {
  if (result == hidden) {
    head_backward_in_place_body(rows, columns, first, end, result, gradient, weight, bias_sums, weight_sums);
  } else {
    head_backward_body(rows, columns, first, end, hidden, gradient, weight, result, bias_sums, weight_sums);
  }
}
KILN_AVX2 static void head_backward_avx2(KILN_HEAD_BACKWARD_PARAMETERS) {
  if (result == hidden) {
    head_backward_in_place_body(rows, columns, first, end, result, gradient, weight, bias_sums, weight_sums);
  } else {
    head_backward_body(rows, columns, first, end, hidden, gradient, weight, result, bias_sums, weight_sums);
  }
}

// Chosen once when the library loads; an aligned int is read and written whole.
static int version;

static int processor_has_avx2(void) {
#if KILN_HAS_AVX2_VERSION
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? 1 : 0;
#else
  return 0;
#endif
}

__attribute__((constructor)) static void choose_version(void) { version = processor_has_avx2(); }

int kiln_kernels_version(void) { return __atomic_load_n(&version, __ATOMIC_RELAXED); }

int kiln_kernels_select(int wanted) {
  __atomic_store_n(&version, wanted && processor_has_avx2() ? 1 : 0, __ATOMIC_RELAXED);
  return kiln_kernels_version();
}

void kiln_adam_update(KILN_ADAM_PARAMETERS) {
  if (kiln_kernels_version()) adam_avx2(KILN_ADAM_ARGUMENTS); else adam_baseline(KILN_ADAM_ARGUMENTS);
}

void kiln_relu_in_place(size_t count, float *values) {
  if (kiln_kernels_version()) relu_avx2(count, values); else relu_baseline(count, values);
}

void kiln_masked_rows(size_t rows, size_t columns, size_t first, size_t end, const float *gradient,
                      const float *activation, float *result, float *sums) {
  if (kiln_kernels_version()) {
    masked_rows_avx2(rows, columns, first, end, gradient, activation, result, sums);
  } else {
    masked_rows_baseline(rows, columns, first, end, gradient, activation, result, sums);
  }
}

void kiln_relu_rows_dot(KILN_RELU_ROWS_DOT_PARAMETERS) {
  if (kiln_kernels_version()) {
    relu_rows_dot_avx2(first, end, columns, values, weight, bias, out);
  } else {
    relu_rows_dot_baseline(first, end, columns, values, weight, bias, out);
  }
}

void kiln_head_backward(KILN_HEAD_BACKWARD_PARAMETERS) {
  if (kiln_kernels_version()) {
    head_backward_avx2(rows, columns, first, end, hidden, gradient, weight, result, bias_sums, weight_sums);
  } else {
    head_backward_baseline(rows, columns, first, end, hidden, gradient, weight, result, bias_sums, weight_sums);
  }
}

void kiln_zero_streaming(size_t count, float *values) {
#if defined(__x86_64__)
  // SSE2 is part of x86-64, so one version serves every processor. Scalar stores up to a 16-byte
  // boundary, streaming stores (no read of the line first, no cache allocation) for the aligned
  // middle, scalar stores for the tail; the fence orders the streaming stores before what follows.
  size_t i = 0;
  while (i < count && ((uintptr_t)(values + i) & 15) != 0) values[i++] = 0;
  const __m128 zero = _mm_setzero_ps();
  for (; i + 4 <= count; i += 4) _mm_stream_ps(values + i, zero);
  for (; i < count; i++) values[i] = 0;
  _mm_sfence();
#else
  memset(values, 0, count * sizeof(float));
#endif
}
