#ifndef C_TENSOR_KERNELS_H
#define C_TENSOR_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// bf16 GEMM with fp32 accumulation: C[m x n] = A[m x k] * B[k x n] (+ bias) (+ C).
///
/// B is packed once (`tk_bf16_pack_b`) into panels of `TK_BF16_PANEL` columns; each panel holds
/// `ceil(k/2)` rows of 32-bit words, one word per column holding the bf16 pair
/// (B[2p][j] in the low half, B[2p+1][j] in the high half), so one 512-bit load is 16 columns
/// times one k-pair, the operand layout of `vdpbf16ps`. Missing columns and the odd last k
/// are zero. A is fp32 and rounded to bf16 (round to nearest even) on the fly.
///
/// The AVX512-BF16 kernel is compiled with function target attributes and chosen at run time;
/// `tk_bf16_available()` says whether it runs. Otherwise the same functions use a portable
/// scalar loop with the same rounding, so results agree to fp32 summation order.

/// Columns per packed panel (the micro-kernel width).
#define TK_BF16_PANEL 48
/// Rows per micro-kernel call (split M on multiples of this).
#define TK_BF16_ROWS 8

/// 1 when the CPU (and OS) support AVX512F/BW/VL + AVX512-BF16 and the fast kernel is used.
int tk_bf16_available(void);

/// Number of 32-bit words of the packed form of a k x n matrix.
size_t tk_bf16_packed_words(long k, long n);

/// Packs B into `out` (`tk_bf16_packed_words(k, n)` words, ideally 64-byte aligned).
/// Not transposed: B[i][j] = b[i * ldb + j] (k x n, row-major).
/// Transposed (PyTorch Linear weight [out, in]): B[i][j] = b[j * ldb + i] (b is n x k).
void tk_bf16_pack_b(const float *b, long k, long n, long ldb, int transposed, uint32_t *out);

/// C[i][j] (+)= sum_l bf16(A[i][l]) * B[l][j] + bias[j], for rows 0..<m and columns n0..<n1
/// of the packed B (k x n). `n0` must be a multiple of TK_BF16_PANEL. `bias` may be NULL
/// (indexed by absolute column). When `accumulate` is non-zero the old C is added.
/// `force_portable` non-zero selects the scalar loop even when the fast kernel is available.
void tk_bf16_gemm(long m, long n, long k, const float *a, long lda, const uint32_t *packed_b,
                  float *c, long ldc, const float *bias, int accumulate, long n0, long n1,
                  int force_portable);

/// bf16 value (raw bits) of `x` rounded to nearest even, as `vcvtneps2bf16` does
/// (NaN stays a quiet NaN; denormal inputs become signed zero).
uint16_t tk_float_to_bf16(float x);

/// 1 when the CPU (and OS) support AVX512F, which the elementwise kernels below need.
int tk_avx512_available(void);

/// Softmax of each row of a row-major rows x cols buffer, in place (max subtracted first;
/// entries more than 87 below the row's max become 0). Returns 0, touching nothing, when
/// AVX512F is not available (the caller runs its own loop then).
int tk_softmax_rows(float *x, long rows, long cols);

/// y[i][j] = GELU(y[i][j] + bias[j]) (exact erf form, rational erf within 5e-7), in place.
/// Returns 0, touching nothing, when AVX512F is not available.
int tk_bias_gelu_rows(float *y, const float *bias, long rows, long cols);

/// y[i] = GELU(x[i]) for i < n (y may be x). Returns 0, touching nothing, without AVX512F.
int tk_gelu(const float *x, float *y, long n);

/// dx[i] = g[i] · GELU'(x[i]) for i < n. Returns 0, touching nothing, without AVX512F.
int tk_gelu_backward(const float *x, const float *g, float *dx, long n);

#endif
