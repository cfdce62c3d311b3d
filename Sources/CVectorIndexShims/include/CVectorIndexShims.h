#ifndef C_VECTOR_INDEX_SHIMS_H
#define C_VECTOR_INDEX_SHIMS_H

#include <stdint.h>

/// Software prefetch hint for the HNSW graph walk (hnswlib issues `_mm_prefetch` the same way):
/// Swift has no prefetch intrinsic, and the walk is bound by cache misses on neighbour records.
/// `static inline`, so the Swift compiler inlines it into the search loop.
static inline __attribute__((always_inline)) void vi_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

/// `sum w[j] * c[j]` over float weights and uint8 codes (the SQ8 asymmetric distance).
/// Uses AVX2 + FMA when the CPU has them (checked once), else a portable loop; the build
/// itself targets baseline x86-64, so Swift's SIMD types stay on SSE.
float vi_dot_f32_u8(const float *w, const uint8_t *c, long n);

/// `sum a[j] * b[j]` over floats, AVX2 + FMA when available.
float vi_dot_f32(const float *a, const float *b, long n);

/// `sum w[j] * c[j]` over int16 weights and uint8 codes, exact in integers (the int8 HNSW
/// distance with the query quantised once per search). AVX2 when available.
int64_t vi_dot_i16_u8(const int16_t *w, const uint8_t *c, long n);

/// Quantises `w` to int16 with one scale: `out[j] = round(w[j] / alpha)`, alpha = max|w| / 32767
/// (1 when w is all zero). Returns alpha.
float vi_quantize_i16(const float *w, int16_t *out, long n);

/// Which kernels are in use (for benchmarks and logs): 0 portable, 1 AVX2 + FMA, 2 the same plus
/// the AVX-512 VNNI int8 inner product.
int vi_simd_level(void);

#endif
