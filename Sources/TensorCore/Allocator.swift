#if canImport(Glibc)
import Glibc
#endif

/// Process-level memory settings for long training or serving loops.
public enum Allocator {
    /// Asks glibc's malloc to keep freed tensor buffers (up to `trimBytes` of free heap and
    /// blocks up to `mmapBytes` from the heap) instead of returning them to the OS after
    /// every op. Tensors are allocated and freed at a high rate; without this each large
    /// buffer is page-faulted in again on every step (measured: ~100 faults per MLP training
    /// step, 200K per 2,000 steps, vs 1.8K with it). Call once at process start (the
    /// benchmark and training workers do); it is global, so a library never calls it for
    /// you. No-op off glibc. Equivalent to `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_`.
    public static func retainFreedMemory(mmapBytes: Int = 32 << 20, trimBytes: Int = 256 << 20) {
        #if canImport(Glibc)
        // <malloc.h> is not part of the Glibc module: look `mallopt` up at run time.
        // M_TRIM_THRESHOLD = -1 and M_MMAP_THRESHOLD = -3 are fixed glibc ABI constants.
        typealias MalloptFn = @convention(c) (Int32, Int32) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "mallopt") else { return }
        let mallopt = unsafeBitCast(sym, to: MalloptFn.self)
        _ = mallopt(-3, Int32(clamping: mmapBytes))
        _ = mallopt(-1, Int32(clamping: trimBytes))
        #endif
    }
}
