import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The second thread of two-way parallel work (GEMM halves, elementwise chunks, attention
/// heads), kept hot for a moment after each job as OpenMP runtimes keep their workers.
///
/// Waking a parked thread costs 5-20 µs, a tenth of a 256³ product, and parallel kernels
/// come in runs (layer after layer), so the worker spins for up to `hotWindow` after a job,
/// calling `sched_yield` on every turn so any other runnable thread gets the core first, then
/// parks. The caller runs chunk 0 and then takes chunk 1 itself if the worker has not
/// started it, so a descheduled worker never stalls the caller. One job at a time: a caller
/// that finds the worker busy (another thread's job, or a nested call) gets false back and
/// falls back to Dispatch.
final class HotWorker: @unchecked Sendable {
    /// The shared worker on a two-core machine; nil elsewhere (Dispatch splits there) and
    /// when `TENSORCORE_HOT_WORKER=0` (e.g. on a host so oversubscribed that spinning costs
    /// more than a wake-up).
    static let shared: HotWorker? = {
        guard Parallel.workers == 2 else { return nil }
        if let flag = getenv("TENSORCORE_HOT_WORKER"), String(cString: flag) == "0" { return nil }
        return HotWorker()
    }()

    /// How long the worker stays hot after a job, in nanoseconds.
    static let hotWindow: UInt64 = 200_000

    private let busy = Atomic<Bool>(false)
    /// Epoch of the last job posted, and of the last one claimed (by the worker or the
    /// caller) and finished by the worker.
    private let posted = Atomic<Int>(0)
    private let claimed = Atomic<Int>(0)
    private let finished = Atomic<Int>(0)
    private let sleeping = Atomic<Bool>(false)
    private let wake = DispatchSemaphore(value: 0)
    /// Written by the caller before `posted`, read by the worker after claiming the epoch,
    /// cleared by the caller once the epoch is done (so no reference outlives the call).
    private var job: ((Int) -> Void)?
    /// Caller side, only touched while holding `busy`.
    private var epoch = 0

    private init() {
        let context = Unmanaged.passRetained(self).toOpaque()   // lives as long as the process
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<HotWorker>.fromOpaque(context!).takeUnretainedValue().loop()
            return nil
        }, context)
        precondition(created == 0, "HotWorker: pthread_create failed (\(created))")
        pthread_detach(thread)
    }

    /// Runs `body(0)` on the calling thread and `body(1)` on the worker (or here, if the
    /// worker has not picked it up by then); returns when both are done. False, with
    /// nothing run, when the worker is taken.
    func run(_ body: (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            epoch += 1
            job = body
            posted.store(epoch, ordering: .sequentiallyConsistent)
            if sleeping.load(ordering: .sequentiallyConsistent) { wake.signal() }
            body(0)
            if claimed.compareExchange(expected: epoch - 1, desired: epoch, ordering: .acquiringAndReleasing).exchanged {
                body(1)
            } else {
                while finished.load(ordering: .acquiring) != epoch { sched_yield() }
            }
            job = nil
        }
        return true
    }

    /// Runs the claimed job's chunk 1. Not inlined, so its reference to the closure is
    /// released before the caller is told the job is finished.
    @inline(never)
    private func runClaimedJob() { job!(1) }

    private func loop() {
        var seen = 0
        var idleSince = DispatchTime.now().uptimeNanoseconds
        while true {
            let current = posted.load(ordering: .acquiring)
            if current != seen {
                seen = current
                if claimed.compareExchange(expected: current - 1, desired: current, ordering: .acquiringAndReleasing).exchanged {
                    runClaimedJob()
                    finished.store(current, ordering: .releasing)
                }
                idleSince = DispatchTime.now().uptimeNanoseconds
            } else if DispatchTime.now().uptimeNanoseconds - idleSince > Self.hotWindow {
                sleeping.store(true, ordering: .sequentiallyConsistent)
                if posted.load(ordering: .sequentiallyConsistent) == seen { wake.wait() }
                sleeping.store(false, ordering: .sequentiallyConsistent)
                idleSince = DispatchTime.now().uptimeNanoseconds
            } else {
                sched_yield()
            }
        }
    }
}
