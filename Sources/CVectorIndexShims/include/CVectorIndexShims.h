#ifndef C_VECTOR_INDEX_SHIMS_H
#define C_VECTOR_INDEX_SHIMS_H

/// Software prefetch hint for the HNSW graph walk (hnswlib issues `_mm_prefetch` the same way):
/// Swift has no prefetch intrinsic, and the walk is bound by cache misses on neighbour records.
/// `static inline`, so the Swift compiler inlines it into the search loop.
static inline __attribute__((always_inline)) void vi_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}

#endif
