import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splits index ranges across the machine's cores for large elementwise work.
///
/// Work below `minimumPerChunk` elements runs inline on the caller's thread, so small
/// tensors pay nothing. Chunks are contiguous so each thread streams its own memory.
public enum Parallel {
    /// Number of worker chunks used for large work (the active processor count, at least 1).
    public static let workers: Int = max(1, ProcessInfoLite.activeProcessorCount)

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently when `count` is
    /// at least `2 * minimumPerChunk`.
    @inlinable
    public static func forRanges(_ count: Int, minimumPerChunk: Int = 65_536, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, count / max(minimumPerChunk, 1))
        if chunks <= 1 { body(0..<count); return }
        perform(chunks) { c in
            body((count * c / chunks)..<(count * (c + 1) / chunks))
        }
    }

    /// Calls `body(0)`, ..., `body(iterations - 1)` concurrently and returns when all are
    /// done. Two-way work goes to the hot `HotWorker` when it is free (no thread wake-up),
    /// the rest to Dispatch.
    public static func perform(_ iterations: Int, _ body: (Int) -> Void) {
        if iterations <= 1 { if iterations == 1 { body(0) }; return }
        if iterations == 2, let worker = HotWorker.shared, worker.run(body) { return }
        withoutActuallyEscaping(body) { escapable in
            let box = UnsafeSendableBox(escapable)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }
}

/// Carries a non-Sendable value into `concurrentPerform`; callers guarantee the chunks
/// touch disjoint memory.
public struct UnsafeSendableBox<T>: @unchecked Sendable {
    public let value: T
    @inlinable public init(_ value: T) { self.value = value }
}

/// Processor count without importing Foundation's ProcessInfo into every file.
@usableFromInline
enum ProcessInfoLite {
    @usableFromInline static var activeProcessorCount: Int {
        #if os(Linux)
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        #else
        return 1
        #endif
    }
}
