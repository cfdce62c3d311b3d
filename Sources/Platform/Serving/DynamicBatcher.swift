/// Collects concurrent requests for one model and runs them as one forward pass: a batch
/// runs when it reaches `maxBatchSize` rows or when its first request has waited
/// `maxWaitMicroseconds`, whichever comes first.
public actor DynamicBatcher {
    public let model: any ServableModel
    let maxBatchSize: Int
    let maxWait: Duration
    private var pending: [(inputs: [String: ServingTensor], rows: Int, continuation: CheckedContinuation<[String: ServingTensor], any Error>)] = []
    private var pendingRows = 0
    private var generation = 0
    /// Forward passes run, and requests served (batching factor = requests / batches).
    public private(set) var batches = 0
    public private(set) var requests = 0

    public init(model: any ServableModel, spec: BatchingSpec) {
        self.model = model
        maxBatchSize = spec.maxBatchSize
        maxWait = .microseconds(spec.maxWaitMicroseconds)
    }

    /// Predicts `inputs` (validated, `rows` rows) as part of a batch.
    public func predict(_ inputs: [String: ServingTensor], rows: Int) async throws -> [String: ServingTensor] {
        if rows >= maxBatchSize { return try model.predict(inputs, batchSize: rows) }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((inputs, rows, continuation))
            pendingRows += rows
            if pendingRows >= maxBatchSize {
                flush()
            } else if pending.count == 1 {
                let wait = maxWait, expected = generation
                Task { [weak self] in
                    try? await Task.sleep(for: wait)
                    await self?.flush(ifGeneration: expected)
                }
            }
        }
    }

    private func flush(ifGeneration expected: Int) {
        if generation == expected { flush() }
    }

    /// Runs everything pending as one batch and hands each request its rows.
    private func flush() {
        guard !pending.isEmpty else { return }
        let batch = pending
        pending = []
        pendingRows = 0
        generation += 1
        batches += 1
        requests += batch.count
        let total = batch.reduce(0) { $0 + $1.rows }
        var merged: [String: ServingTensor] = [:]
        for spec in model.signature.inputs {
            let parts = batch.map { $0.inputs[spec.name]! }
            var shape = parts[0].shape
            shape[0] = total
            switch parts[0].values {
            case .floats: merged[spec.name] = ServingTensor(shape: shape, floats: parts.flatMap { $0.floats! })
            case .strings: merged[spec.name] = ServingTensor(shape: shape, strings: parts.flatMap { $0.strings! })
            }
        }
        do {
            let outputs = try model.predict(merged, batchSize: total)
            var offset = 0
            for request in batch {
                var mine: [String: ServingTensor] = [:]
                for (name, tensor) in outputs {
                    let perRow = tensor.shape.dropFirst().reduce(1, *)
                    var shape = tensor.shape
                    shape[0] = request.rows
                    let range = (offset * perRow)..<((offset + request.rows) * perRow)
                    switch tensor.values {
                    case .floats(let f): mine[name] = ServingTensor(shape: shape, floats: Array(f[range]))
                    case .strings(let s): mine[name] = ServingTensor(shape: shape, strings: Array(s[range]))
                    }
                }
                offset += request.rows
                request.continuation.resume(returning: mine)
            }
        } catch {
            for request in batch { request.continuation.resume(throwing: error) }
        }
    }
}
