// bf16 GEMM with fp32 accumulation (see include/CTensorKernels.h for the packed layout).
//
// The package builds for baseline x86-64; the AVX512-BF16 code below is compiled through
// function target attributes and selected once at run time, in the style of
// CVectorIndexShims. Blocking (Goto/BLIS style): K in chunks of at most TK_KC (even) so a
// 48-column B panel chunk (48 * kc * 2 bytes) sits in L1/L2, M in blocks of TK_MC rows whose
// bf16 copy (TK_MC * kc * 2 bytes) stays in L2 across all N panels; the micro-kernel keeps an
// 8 x 48 fp32 tile in 24 zmm registers and issues 24 `vdpbf16ps` per k-pair against 3 B loads
// and 8 A broadcasts.
#include "CTensorKernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TK_X86 1
#define TK_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16")))
#endif

#define NR TK_BF16_PANEL
#define MR TK_BF16_ROWS
#define TK_KC 512  // largest K chunk (elements, even)
#define TK_MC 256  // rows per A block (multiple of MR)

// MARK: - Scalar conversion (the reference rounding)

uint16_t tk_float_to_bf16(float x) {
    uint32_t u;
    memcpy(&u, &x, 4);
    uint32_t magnitude = u & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return (uint16_t)((u >> 16) | 0x40u);      // quiet NaN
    if (magnitude < 0x00800000u) return (uint16_t)((u >> 16) & 0x8000u);    // zero/denormal
    u += 0x7fffu + ((u >> 16) & 1u);                                         // nearest even
    return (uint16_t)(u >> 16);
}

static inline float bf16_to_float(uint16_t h) {
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}

static inline long kpairs(long k) { return (k + 1) / 2; }

size_t tk_bf16_packed_words(long k, long n) {
    long panels = (n + NR - 1) / NR;
    return (size_t)panels * (size_t)kpairs(k) * NR;
}

void tk_bf16_pack_b(const float *b, long k, long n, long ldb, int transposed, uint32_t *out) {
    long kp = kpairs(k), panels = (n + NR - 1) / NR;
    for (long jp = 0; jp < panels; jp++) {
        uint32_t *panel = out + (size_t)jp * kp * NR;
        for (long p = 0; p < kp; p++) {
            for (long c = 0; c < NR; c++) {
                long j = jp * NR + c, i0 = 2 * p, i1 = 2 * p + 1;
                uint32_t lo = 0, hi = 0;
                if (j < n) {
                    float v0 = transposed ? b[j * ldb + i0] : b[i0 * ldb + j];
                    lo = tk_float_to_bf16(v0);
                    if (i1 < k) hi = tk_float_to_bf16(transposed ? b[j * ldb + i1] : b[i1 * ldb + j]);
                }
                panel[p * NR + c] = lo | (hi << 16);
            }
        }
    }
}

// MARK: - Portable path

// Same rounding as the fast path, fp32 accumulation in k order; one row of C and one packed
// panel at a time (the inner loop runs over the 48 contiguous words of a k-pair).
static void gemm_portable(long m, long n, long k, const float *a, long lda, const uint32_t *pb,
                          float *c, long ldc, const float *bias, int accumulate, long n0, long n1) {
    (void)n;
    long kp = kpairs(k);
    for (long i = 0; i < m; i++) {
        const float *ai = a + i * lda;
        float *ci = c + i * ldc;
        for (long j0 = n0; j0 < n1; j0 += NR) {
            const uint32_t *panel = pb + (size_t)(j0 / NR) * kp * NR;
            long nr = n1 - j0 < NR ? n1 - j0 : NR;
            float acc[NR] = {0};
            for (long p = 0; p < kp; p++) {
                float a0 = bf16_to_float(tk_float_to_bf16(ai[2 * p]));
                float a1 = 2 * p + 1 < k ? bf16_to_float(tk_float_to_bf16(ai[2 * p + 1])) : 0.0f;
                const uint32_t *w = panel + p * NR;
                for (long col = 0; col < NR; col++)
                    acc[col] += a0 * bf16_to_float((uint16_t)w[col]) + a1 * bf16_to_float((uint16_t)(w[col] >> 16));
            }
            for (long col = 0; col < nr; col++) {
                float v = acc[col];
                if (bias) v += bias[j0 + col];
                if (accumulate) v += ci[j0 + col];
                ci[j0 + col] = v;
            }
        }
    }
}

// MARK: - AVX512-BF16 path

#ifdef TK_X86

// Rounds rows [0, rows) x cols [0, kc) of A to bf16 pairs: dst row r at dst + r * stride words.
// Rows rows..<rows_padded are zero, as is the high half of the last pair when kc is odd.
TK_AVX512 static void pack_a_avx512(const float *a, long lda, long rows, long rows_padded, long kc,
                                    uint32_t *dst, long stride) {
    for (long r = 0; r < rows; r++) {
        const float *src = a + r * lda;
        uint16_t *out = (uint16_t *)(dst + r * stride);
        long j = 0;
        for (; j + 32 <= kc; j += 32) {
            __m512 lo = _mm512_loadu_ps(src + j), hi = _mm512_loadu_ps(src + j + 16);
            _mm512_storeu_si512((void *)(out + j), (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
        }
        for (; j < kc; j += 16) {
            long left = kc - j;
            __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
            __m512 v = _mm512_maskz_loadu_ps(mask, src + j);
            // Stores 16 bf16; the stride leaves room (it is a multiple of 16 words).
            _mm256_storeu_si256((__m256i *)(out + j), (__m256i)_mm512_cvtneps_pbh(v));
        }
    }
    for (long r = rows; r < rows_padded; r++) memset(dst + r * stride, 0, (size_t)stride * 4);
}

static inline __mmask16 lane_mask(long valid) {
    if (valid >= 16) return (__mmask16)0xffff;
    if (valid <= 0) return 0;
    return (__mmask16)((1u << valid) - 1);
}

// Assembly text of the micro-kernel (AT&T syntax): zero three accumulators; one A row (broadcast
// its k-pair into zmm27, then three vdpbf16ps against the B registers zmm24-26); store three
// accumulators to the tile row at byte offset `off`.
#define TK_ZERO3(x, y, z)                                                           \
    "vpxord %%zmm" #x ", %%zmm" #x ", %%zmm" #x "\n\t"                              \
    "vpxord %%zmm" #y ", %%zmm" #y ", %%zmm" #y "\n\t"                              \
    "vpxord %%zmm" #z ", %%zmm" #z ", %%zmm" #z "\n\t"
#define TK_ROW(addr, x, y, z)                                                       \
    "vpbroadcastd " addr ", %%zmm27\n\t"                                            \
    "vdpbf16ps %%zmm24, %%zmm27, %%zmm" #x "\n\t"                                   \
    "vdpbf16ps %%zmm25, %%zmm27, %%zmm" #y "\n\t"                                   \
    "vdpbf16ps %%zmm26, %%zmm27, %%zmm" #z "\n\t"
#define TK_STORE3(x, y, z, off)                                                     \
    "vmovups %%zmm" #x ", " #off "(%[t])\n\t"                                       \
    "vmovups %%zmm" #y ", " #off "+64(%[t])\n\t"                                    \
    "vmovups %%zmm" #z ", " #off "+128(%[t])\n\t"

#define TK_LOOP_BEGIN                                                               \
    "test %[kp], %[kp]\n\t"                                                         \
    "jz 2f\n\t"                                                                     \
    "1:\n\t"                                                                        \
    "vmovups (%[b]), %%zmm24\n\t"                                                   \
    "vmovups 64(%[b]), %%zmm25\n\t"                                                 \
    "vmovups 128(%[b]), %%zmm26\n\t"
#define TK_LOOP_END                                                                 \
    "add $4, %[a0]\n\t"                                                             \
    "add $4, %[a4]\n\t"                                                             \
    "add $192, %[b]\n\t"                                                            \
    "dec %[kp]\n\t"                                                                 \
    "jnz 1b\n\t"                                                                    \
    "2:\n\t"
#define TK_OPERANDS                                                                 \
    : [kp] "+r"(kp), [a0] "+r"(a0), [a4] "+r"(a4), [b] "+r"(b)                      \
    : [s] "r"(s), [s3] "r"(s3), [t] "r"(tile)                                       \
    : "zmm0", "zmm1", "zmm2", "zmm3", "zmm4", "zmm5", "zmm6", "zmm7", "zmm8", "zmm9", \
      "zmm10", "zmm11", "zmm12", "zmm13", "zmm14", "zmm15", "zmm16", "zmm17", "zmm18", \
      "zmm19", "zmm20", "zmm21", "zmm22", "zmm23", "zmm24", "zmm25", "zmm26", "zmm27", \
      "memory", "cc"

// Micro-kernel for up to 8 rows x 48 columns. ap: 8 rows of bf16 pairs (stride lda words;
// rows past mr are zero), b: kp x 48 words. Stores the first mr rows and nr columns of the tile
// into c (+ bias, + old C if addc).
// The k loop is inline assembly: up to 24 accumulators zmm0-23, B in zmm24-26, the A broadcast
// in zmm27; per k-pair 3 loads + 8 broadcasts + 24 vdpbf16ps for the 8-row tile, with 4-, 2- and
// 1-row versions for short row tails (M = 1 would otherwise pay for 8 rows). Written in
// assembly so that it runs at full speed in debug builds too (SwiftPM compiles C at -O0 there,
// and clang has no per-function optimisation attribute); the epilogue goes through a tile on
// the stack.
TK_AVX512 static void kernel_8x48(long kp, const uint32_t *ap, long lda, const uint32_t *b, float *c,
                                  long ldc, long mr, long nr, const float *bias, int addc) {
    float tile[MR * NR] __attribute__((aligned(64)));
    for (long r = 0; r < mr; r++) {  // the C tile, for the stores at the end
        __builtin_prefetch(c + r * ldc, 1, 3);
        __builtin_prefetch(c + r * ldc + 16, 1, 3);
        __builtin_prefetch(c + r * ldc + 32, 1, 3);
        __builtin_prefetch(c + r * ldc + 47, 1, 3);
    }
    const uint32_t *a0 = ap, *a4 = ap + 4 * lda;
    long s = lda * 4, s3 = 3 * lda * 4;
    if (mr > 4) {
        __asm__ volatile(
            TK_ZERO3(0, 1, 2) TK_ZERO3(3, 4, 5) TK_ZERO3(6, 7, 8) TK_ZERO3(9, 10, 11)
            TK_ZERO3(12, 13, 14) TK_ZERO3(15, 16, 17) TK_ZERO3(18, 19, 20) TK_ZERO3(21, 22, 23)
            TK_LOOP_BEGIN
            TK_ROW("(%[a0])", 0, 1, 2)
            TK_ROW("(%[a0],%[s],1)", 3, 4, 5)
            TK_ROW("(%[a0],%[s],2)", 6, 7, 8)
            TK_ROW("(%[a0],%[s3],1)", 9, 10, 11)
            TK_ROW("(%[a4])", 12, 13, 14)
            TK_ROW("(%[a4],%[s],1)", 15, 16, 17)
            TK_ROW("(%[a4],%[s],2)", 18, 19, 20)
            TK_ROW("(%[a4],%[s3],1)", 21, 22, 23)
            TK_LOOP_END
            TK_STORE3(0, 1, 2, 0) TK_STORE3(3, 4, 5, 192) TK_STORE3(6, 7, 8, 384) TK_STORE3(9, 10, 11, 576)
            TK_STORE3(12, 13, 14, 768) TK_STORE3(15, 16, 17, 960) TK_STORE3(18, 19, 20, 1152)
            TK_STORE3(21, 22, 23, 1344)
            TK_OPERANDS);
    } else if (mr > 2) {
        __asm__ volatile(
            TK_ZERO3(0, 1, 2) TK_ZERO3(3, 4, 5) TK_ZERO3(6, 7, 8) TK_ZERO3(9, 10, 11)
            TK_LOOP_BEGIN
            TK_ROW("(%[a0])", 0, 1, 2)
            TK_ROW("(%[a0],%[s],1)", 3, 4, 5)
            TK_ROW("(%[a0],%[s],2)", 6, 7, 8)
            TK_ROW("(%[a0],%[s3],1)", 9, 10, 11)
            TK_LOOP_END
            TK_STORE3(0, 1, 2, 0) TK_STORE3(3, 4, 5, 192) TK_STORE3(6, 7, 8, 384) TK_STORE3(9, 10, 11, 576)
            TK_OPERANDS);
    } else if (mr > 1) {
        __asm__ volatile(
            TK_ZERO3(0, 1, 2) TK_ZERO3(3, 4, 5)
            TK_LOOP_BEGIN
            TK_ROW("(%[a0])", 0, 1, 2)
            TK_ROW("(%[a0],%[s],1)", 3, 4, 5)
            TK_LOOP_END
            TK_STORE3(0, 1, 2, 0) TK_STORE3(3, 4, 5, 192)
            TK_OPERANDS);
    } else {
        __asm__ volatile(
            TK_ZERO3(0, 1, 2)
            TK_LOOP_BEGIN
            TK_ROW("(%[a0])", 0, 1, 2)
            TK_LOOP_END
            TK_STORE3(0, 1, 2, 0)
            TK_OPERANDS);
    }
    __mmask16 m0 = lane_mask(nr), m1 = lane_mask(nr - 16), m2 = lane_mask(nr - 32);
    __m512 bias0 = _mm512_setzero_ps(), bias1 = bias0, bias2 = bias0;
    if (bias) {
        bias0 = _mm512_maskz_loadu_ps(m0, bias);
        bias1 = _mm512_maskz_loadu_ps(m1, bias + 16);
        bias2 = _mm512_maskz_loadu_ps(m2, bias + 32);
    }
    for (long r = 0; r < mr; r++) {
        float *cr = c + r * ldc;
        const float *tr = tile + r * NR;
        __m512 v0 = _mm512_add_ps(_mm512_load_ps(tr), bias0);
        __m512 v1 = _mm512_add_ps(_mm512_load_ps(tr + 16), bias1);
        __m512 v2 = _mm512_add_ps(_mm512_load_ps(tr + 32), bias2);
        if (addc) {
            v0 = _mm512_add_ps(v0, _mm512_maskz_loadu_ps(m0, cr));
            v1 = _mm512_add_ps(v1, _mm512_maskz_loadu_ps(m1, cr + 16));
            v2 = _mm512_add_ps(v2, _mm512_maskz_loadu_ps(m2, cr + 32));
        }
        if (nr == NR) {  // plain stores for whole panels
            _mm512_storeu_ps(cr, v0);
            _mm512_storeu_ps(cr + 16, v1);
            _mm512_storeu_ps(cr + 32, v2);
        } else {
            _mm512_mask_storeu_ps(cr, m0, v0);
            _mm512_mask_storeu_ps(cr + 16, m1, v1);
            _mm512_mask_storeu_ps(cr + 32, m2, v2);
        }
    }
}

TK_AVX512 static void gemm_avx512(long m, long k, const float *a, long lda, const uint32_t *pb,
                                  float *c, long ldc, const float *bias, int accumulate, long n0, long n1) {
    long kp_total = kpairs(k);
    long chunks = (k + TK_KC - 1) / TK_KC;
    long kc = (k + chunks - 1) / chunks;
    kc += kc & 1;                                          // chunks start on a k-pair
    long stride = ((kc / 2) + 15) & ~15L;                  // words per packed A row
    long mc = m < TK_MC ? ((m + MR - 1) / MR) * MR : TK_MC;
    uint32_t *scratch = aligned_alloc(64, (size_t)mc * (size_t)stride * 4);
    if (!scratch) abort();
    for (long pc = 0; pc < k; pc += kc) {
        long kcur = k - pc < kc ? k - pc : kc, kpc = kpairs(kcur);
        int first = pc == 0;
        for (long ic = 0; ic < m; ic += mc) {
            long mcur = m - ic < mc ? m - ic : mc;
            const float *ablock = a + ic * lda + pc;
            for (long j0 = n0; j0 < n1; j0 += NR) {
                long nr = n1 - j0 < NR ? n1 - j0 : NR;
                const uint32_t *bp = pb + (size_t)(j0 / NR) * kp_total * NR + (size_t)(pc / 2) * NR;
                const float *bj = first && bias ? bias + j0 : NULL;
                int first_panel = j0 == n0;
                for (long ir = 0; ir < mcur; ir += MR) {
                    long mr = mcur - ir < MR ? mcur - ir : MR;
                    if (first_panel)  // round A micro-panel by micro-panel, overlapped with the kernel
                        pack_a_avx512(ablock + ir * lda, lda, mr, MR, kcur, scratch + ir * stride, stride);
                    kernel_8x48(kpc, scratch + ir * stride, stride, bp, c + (ic + ir) * ldc + j0, ldc, mr, nr,
                                bj, first ? accumulate : 1);
                }
            }
        }
    }
    free(scratch);
}

#endif

// MARK: - Dispatch

static int bf16_level = -1;  // -1 until detected; relaxed atomics (every thread finds the same)

int tk_bf16_available(void) {
    int level = __atomic_load_n(&bf16_level, __ATOMIC_RELAXED);
    if (level < 0) {
#ifdef TK_X86
        __builtin_cpu_init();
        level = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
#else
        level = 0;
#endif
        __atomic_store_n(&bf16_level, level, __ATOMIC_RELAXED);
    }
    return level;
}

void tk_bf16_gemm(long m, long n, long k, const float *a, long lda, const uint32_t *packed_b,
                  float *c, long ldc, const float *bias, int accumulate, long n0, long n1,
                  int force_portable) {
    (void)force_portable;  // unused off x86
    if (n1 > n) n1 = n;
    if (m <= 0 || n0 >= n1) return;
    if (k <= 0) {  // empty sum: C = bias (+ C)
        for (long i = 0; i < m; i++)
            for (long j = n0; j < n1; j++)
                c[i * ldc + j] = (bias ? bias[j] : 0.0f) + (accumulate ? c[i * ldc + j] : 0.0f);
        return;
    }
#ifdef TK_X86
    if (!force_portable && tk_bf16_available()) {
        gemm_avx512(m, k, a, lda, packed_b, c, ldc, bias, accumulate, n0, n1);
        return;
    }
#endif
    gemm_portable(m, n, k, a, lda, packed_b, c, ldc, bias, accumulate, n0, n1);
}
