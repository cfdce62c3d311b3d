// AVX-512 versions of the elementwise passes that matter in transformers: the attention
// softmax, GELU (with the FFN bias) and GELU's backward. Same formulas as TensorCore's Swift kernels
// (Cephes exp on [-87, 0], the XLA/Eigen rational erf), 16 lanes at a time; chosen at run time
// (`tk_avx512_available`), and the Swift loops run elsewhere.
#include "CTensorKernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TK_AVX512F __attribute__((target("avx512f")))

static int avx512_level = -1;

int tk_avx512_available(void) {
    int level = __atomic_load_n(&avx512_level, __ATOMIC_RELAXED);
    if (level < 0) {
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f");
        __atomic_store_n(&avx512_level, level, __ATOMIC_RELAXED);
    }
    return level;
}

/// e^x for x <= 0 (0 below -87), as `Tensor.expNonPositive`.
TK_AVX512F static inline __m512 exp_nonpositive(__m512 x) {
    __mmask16 underflow = _mm512_cmp_ps_mask(x, _mm512_set1_ps(-87.0f), _CMP_LT_OQ);
    __m512 xc = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0f)), _mm512_setzero_ps());
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(xc, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_add_ps(_mm512_sub_ps(xc, _mm512_mul_ps(n, _mm512_set1_ps(0.693359375f))),
                             _mm512_mul_ps(n, _mm512_set1_ps(2.12194440e-4f)));
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
    return _mm512_maskz_scalef_ps((__mmask16)~underflow, y, n);
}

TK_AVX512F static void softmax_rows_avx512(float *x, long rows, long cols) {
    for (long row = 0; row < rows; row++) {
        float *v = x + row * cols;
        __m512 mv = _mm512_set1_ps(-__builtin_inff());
        long j = 0;
        for (; j + 16 <= cols; j += 16) mv = _mm512_max_ps(mv, _mm512_loadu_ps(v + j));
        __mmask16 tail = (__mmask16)((1u << (cols - j)) - 1u);
        if (tail) mv = _mm512_mask_max_ps(mv, tail, mv, _mm512_maskz_loadu_ps(tail, v + j));
        __m512 m = _mm512_set1_ps(_mm512_reduce_max_ps(mv));
        __m512 sum = _mm512_setzero_ps();
        for (j = 0; j + 16 <= cols; j += 16) {
            __m512 e = exp_nonpositive(_mm512_sub_ps(_mm512_loadu_ps(v + j), m));
            _mm512_storeu_ps(v + j, e);
            sum = _mm512_add_ps(sum, e);
        }
        if (tail) {
            __m512 e = exp_nonpositive(_mm512_sub_ps(_mm512_maskz_loadu_ps(tail, v + j), m));
            e = _mm512_maskz_mov_ps(tail, e);
            _mm512_mask_storeu_ps(v + j, tail, e);
            sum = _mm512_add_ps(sum, e);
        }
        __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (j = 0; j + 16 <= cols; j += 16) _mm512_storeu_ps(v + j, _mm512_mul_ps(_mm512_loadu_ps(v + j), inv));
        if (tail) _mm512_mask_storeu_ps(v + j, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, v + j), inv));
    }
}

/// erf(x/√2) with the rational erf of `Tensor.erf` (clamped to [-4, 4] inside).
TK_AVX512F static inline __m512 erf_scaled(__m512 v) {
    __m512 x = _mm512_mul_ps(v, _mm512_set1_ps(0.70710678118654752f));
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-4.0f)), _mm512_set1_ps(4.0f));
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 p = _mm512_set1_ps(-2.72614225801306e-10f);
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(2.77068142495902e-08f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.10102402082508e-06f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-5.69250639462346e-05f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-7.34990630326855e-04f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-2.95459980854025e-03f));
    p = _mm512_fmadd_ps(p, x2, _mm512_set1_ps(-1.60960333262415e-02f));
    p = _mm512_mul_ps(p, x);
    __m512 q = _mm512_set1_ps(-1.45660718464996e-05f);
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-2.13374055278905e-04f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.68282697438203e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-7.37332916720468e-03f));
    q = _mm512_fmadd_ps(q, x2, _mm512_set1_ps(-1.42647390514189e-02f));
    return _mm512_div_ps(p, q);
}

/// 0.5·x·(1 + erf(x/√2)).
TK_AVX512F static inline __m512 gelu(__m512 v) {
    return _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), v), _mm512_add_ps(_mm512_set1_ps(1.0f), erf_scaled(v)));
}

/// d GELU / dx = Φ(x) + x·φ(x) = 0.5·(1 + erf(x/√2)) + x·e^{−x²/2}/√(2π).
TK_AVX512F static inline __m512 gelu_derivative(__m512 v) {
    __m512 cdf = _mm512_mul_ps(_mm512_set1_ps(0.5f), _mm512_add_ps(_mm512_set1_ps(1.0f), erf_scaled(v)));
    __m512 pdf = exp_nonpositive(_mm512_mul_ps(_mm512_set1_ps(-0.5f), _mm512_mul_ps(v, v)));
    return _mm512_fmadd_ps(_mm512_mul_ps(v, _mm512_set1_ps(0.39894228040143268f)), pdf, cdf);
}

TK_AVX512F static void gelu_avx512(const float *x, float *y, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(y + i, gelu(_mm512_loadu_ps(x + i)));
    __mmask16 tail = (__mmask16)((1u << (n - i)) - 1u);
    if (tail) _mm512_mask_storeu_ps(y + i, tail, gelu(_mm512_maskz_loadu_ps(tail, x + i)));
}

TK_AVX512F static void gelu_backward_avx512(const float *x, const float *g, float *dx, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(dx + i, _mm512_mul_ps(_mm512_loadu_ps(g + i), gelu_derivative(_mm512_loadu_ps(x + i))));
    __mmask16 tail = (__mmask16)((1u << (n - i)) - 1u);
    if (tail)
        _mm512_mask_storeu_ps(dx + i, tail, _mm512_mul_ps(_mm512_maskz_loadu_ps(tail, g + i), gelu_derivative(_mm512_maskz_loadu_ps(tail, x + i))));
}

TK_AVX512F static void bias_gelu_rows_avx512(float *y, const float *bias, long rows, long cols) {
    for (long row = 0; row < rows; row++) {
        float *v = y + row * cols;
        long j = 0;
        for (; j + 16 <= cols; j += 16)
            _mm512_storeu_ps(v + j, gelu(_mm512_add_ps(_mm512_loadu_ps(v + j), _mm512_loadu_ps(bias + j))));
        __mmask16 tail = (__mmask16)((1u << (cols - j)) - 1u);
        if (tail)
            _mm512_mask_storeu_ps(v + j, tail, gelu(_mm512_add_ps(_mm512_maskz_loadu_ps(tail, v + j), _mm512_maskz_loadu_ps(tail, bias + j))));
    }
}

int tk_softmax_rows(float *x, long rows, long cols) {
    if (!tk_avx512_available() || cols <= 0) return 0;
    softmax_rows_avx512(x, rows, cols);
    return 1;
}

int tk_bias_gelu_rows(float *y, const float *bias, long rows, long cols) {
    if (!tk_avx512_available() || cols <= 0) return 0;
    bias_gelu_rows_avx512(y, bias, rows, cols);
    return 1;
}

int tk_gelu(const float *x, float *y, long n) {
    if (!tk_avx512_available()) return 0;
    gelu_avx512(x, y, n);
    return 1;
}

int tk_gelu_backward(const float *x, const float *g, float *dx, long n) {
    if (!tk_avx512_available()) return 0;
    gelu_backward_avx512(x, g, dx, n);
    return 1;
}

#else

int tk_avx512_available(void) { return 0; }
int tk_softmax_rows(float *x, long rows, long cols) { (void)x; (void)rows; (void)cols; return 0; }
int tk_bias_gelu_rows(float *y, const float *bias, long rows, long cols) { (void)y; (void)bias; (void)rows; (void)cols; return 0; }
int tk_gelu(const float *x, float *y, long n) { (void)x; (void)y; (void)n; return 0; }
int tk_gelu_backward(const float *x, const float *g, float *dx, long n) { (void)x; (void)g; (void)dx; (void)n; return 0; }

#endif
