// Distance kernels with runtime CPU dispatch. The package builds for baseline x86-64 (so the
// binary runs anywhere); these functions are compiled for AVX2 + FMA as well and pick that
// version once when the CPU supports it, which doubles the lanes of the hot HNSW distance.
#include "CVectorIndexShims.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define VI_X86 1
#endif

static float dot_f32_u8_portable(const float *w, const uint8_t *c, long n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += w[i] * (float)c[i];
        s1 += w[i + 1] * (float)c[i + 1];
        s2 += w[i + 2] * (float)c[i + 2];
        s3 += w[i + 3] * (float)c[i + 3];
    }
    for (; i < n; i++) s0 += w[i] * (float)c[i];
    return (s0 + s1) + (s2 + s3);
}

static float dot_f32_portable(const float *a, const float *b, long n) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    long i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

#include <math.h>

static float quantize_i16_portable(const float *w, int16_t *out, long n) {
    float largest = 0;
    for (long i = 0; i < n; i++) { float a = fabsf(w[i]); if (a > largest) largest = a; }
    float alpha = largest > 0 ? largest / 32767.0f : 1.0f, inv = 1.0f / alpha;
    for (long i = 0; i < n; i++) out[i] = (int16_t)lrintf(w[i] * inv);
    return alpha;
}

static int64_t dot_i16_u8_portable(const int16_t *w, const uint8_t *c, long n) {
    int64_t s = 0;
    for (long i = 0; i < n; i++) s += (int64_t)w[i] * c[i];
    return s;
}

#ifdef VI_X86
__attribute__((target("avx2"))) static int64_t dot_i16_u8_avx2(const int16_t *w, const uint8_t *c, long n) {
    // Each madd lane adds two products of at most 255 * 32767; flushing the int32 lanes into
    // int64 every 128 steps keeps them far from overflow for any dimension.
    int64_t total = 0;
    long i = 0;
    while (i + 16 <= n) {
        __m256i acc = _mm256_setzero_si256();
        for (int step = 0; step < 128 && i + 16 <= n; step++, i += 16) {
            __m256i codes = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(c + i)));
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(codes, _mm256_loadu_si256((const __m256i *)(w + i))));
        }
        int32_t lanes[8];
        _mm256_storeu_si256((__m256i *)lanes, acc);
        for (int k = 0; k < 8; k++) total += lanes[k];
    }
    for (; i < n; i++) total += (int64_t)w[i] * c[i];
    return total;
}

__attribute__((target("avx2"))) static float quantize_i16_avx2(const float *w, int16_t *out, long n) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 m = _mm256_setzero_ps();
    long i = 0;
    for (; i + 8 <= n; i += 8) m = _mm256_max_ps(m, _mm256_andnot_ps(sign, _mm256_loadu_ps(w + i)));
    float lanes[8];
    _mm256_storeu_ps(lanes, m);
    float largest = 0;
    for (int k = 0; k < 8; k++) if (lanes[k] > largest) largest = lanes[k];
    for (; i < n; i++) { float a = fabsf(w[i]); if (a > largest) largest = a; }
    float alpha = largest > 0 ? largest / 32767.0f : 1.0f;
    __m256 inv = _mm256_set1_ps(1.0f / alpha);
    for (i = 0; i + 16 <= n; i += 16) {
        __m256i a = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(w + i), inv));
        __m256i b = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(w + i + 8), inv));
        __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + i), packed);
    }
    for (; i < n; i++) out[i] = (int16_t)lrintf(w[i] / alpha);
    return alpha;
}

__attribute__((target("avx2,fma"))) static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_shuffle_ps(lo, lo, 1));
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) static float dot_f32_u8_avx2(const float *w, const uint8_t *c, long n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 16 <= n; i += 16) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(c + i));
        __m256 c0 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(bytes));
        __m256 c1 = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(_mm_srli_si128(bytes, 8)));
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), c0, acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), c1, acc1);
    }
    float s = hsum256(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++) s += w[i] * (float)c[i];
    return s;
}

__attribute__((target("avx2,fma"))) static float dot_f32_avx2(const float *a, const float *b, long n) {
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps(), acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    float s = hsum256(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}
#endif

#ifdef VI_X86
/// The int8 inner product on AVX-512: 32 codes per step, `vpdpwssd` (VNNI) doing the int16
/// multiply and the int32 accumulation in one instruction. Lanes are flushed into int64 every
/// 128 steps, as in the AVX2 version (two products of at most 255 · 32767 per lane and step).
__attribute__((target("avx512f,avx512bw,avx512vnni"))) static int64_t dot_i16_u8_avx512(const int16_t *w, const uint8_t *c, long n) {
    int64_t total = 0;
    long i = 0;
    while (i + 32 <= n) {
        __m512i acc = _mm512_setzero_si512();
        for (int step = 0; step < 128 && i + 32 <= n; step++, i += 32) {
            __m512i codes = _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(c + i)));
            acc = _mm512_dpwssd_epi32(acc, codes, _mm512_loadu_si512((const void *)(w + i)));
        }
        __m512i wide = _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(acc)),
                                        _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(acc, 1)));
        total += _mm512_reduce_add_epi64(wide);
    }
    for (; i < n; i++) total += (int64_t)w[i] * c[i];
    return total;
}
#endif

static int simd_level = -1;

static int detect(void) {
#ifdef VI_X86
    __builtin_cpu_init();
    if (!(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))) return 0;
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni") ? 2 : 1;
#else
    return 0;
#endif
}

int vi_simd_level(void) {
    if (simd_level < 0) simd_level = detect();
    return simd_level;
}

float vi_dot_f32_u8(const float *w, const uint8_t *c, long n) {
#ifdef VI_X86
    if (vi_simd_level() >= 1) return dot_f32_u8_avx2(w, c, n);
#endif
    return dot_f32_u8_portable(w, c, n);
}

float vi_quantize_i16(const float *w, int16_t *out, long n) {
#ifdef VI_X86
    if (vi_simd_level() >= 1) return quantize_i16_avx2(w, out, n);
#endif
    return quantize_i16_portable(w, out, n);
}

int64_t vi_dot_i16_u8(const int16_t *w, const uint8_t *c, long n) {
#ifdef VI_X86
    int level = vi_simd_level();
    if (level == 2) return dot_i16_u8_avx512(w, c, n);
    if (level == 1) return dot_i16_u8_avx2(w, c, n);
#endif
    return dot_i16_u8_portable(w, c, n);
}

float vi_dot_f32(const float *a, const float *b, long n) {
#ifdef VI_X86
    if (vi_simd_level() >= 1) return dot_f32_avx2(a, b, n);
#endif
    return dot_f32_portable(a, b, n);
}
