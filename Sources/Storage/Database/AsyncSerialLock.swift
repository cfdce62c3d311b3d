import DequeModule

/// A first-in, first-out lock for async code: one holder at a time, waiters resume in
/// arrival order. SQLite's single writer connection uses it so that one transaction's
/// statements never interleave with another's.
actor AsyncSerialLock {
    private var held = false
    private var waiters = Deque<CheckedContinuation<Void, Never>>()

    func lock() async {
        if !held {
            held = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if let next = waiters.popFirst() {
            next.resume()  // ownership passes straight to the next waiter
        } else {
            held = false
        }
    }

    /// Runs `body` while holding the lock.
    nonisolated func withLock<T: Sendable>(_ body: () async throws -> T) async rethrows -> T {
        await lock()
        do {
            let value = try await body()
            await unlock()
            return value
        } catch {
            await unlock()
            throw error
        }
    }
}
