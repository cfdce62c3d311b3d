import Foundation
import Platform
import Storage
import Reinforcement
import TensorCore
import TestSupport
import Testing

@Suite("Deployments and rollouts")
struct DeploymentServiceTests {
    /// Sends `count` predictions for distinct units; inputs alternate which feature is larger,
    /// and every prediction gets its true label (the larger feature) as feedback.
    static func traffic(_ services: PlatformServices, deployment: String, count: Int, offset: Int = 0) async throws -> [String: Int] {
        var variants: [String: Int] = [:]
        for i in offset..<(offset + count) {
            let x: [Float] = i % 2 == 0 ? [1, 0] : [0, 1]
            let id = "req-\(i)"
            let result = try await services.predictions.predict(endpoint: deployment, unit: "user-\(i)", requestID: id,
                                                                inputs: ["input": ServingTensor(shape: [1, 2], floats: x)])
            variants[result.variant ?? "none", default: 0] += 1
            try await services.deployments.feedback(name: deployment, requestID: id, label: i % 2 == 0 ? 0 : 1, reward: nil, conversion: nil)
        }
        return variants
    }

    static func setUp(_ services: PlatformServices, candidateRight: Bool) async throws {
        try await ServingFixtures.register(ServingFixtures.classifier(right: !candidateRight), as: "clf", in: services)
        try await ServingFixtures.register(ServingFixtures.classifier(right: candidateRight), as: "clf", in: services)
    }

    @Test("a canary whose candidate is wrong rolls back by itself", arguments: TestDatabases.kinds)
    func canaryRollsBack(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            try await Self.setUp(services, candidateRight: false)
            let spec = DeploymentSpec(name: "clf-canary", strategy: .canary, baseline: "models:/clf/1", candidate: "models:/clf/2",
                                      minSamples: 20, gates: RolloutGates(minAccuracy: 0.9))
            let created = try await services.deployments.create(spec)
            #expect(created.state.candidatePercent == 10 && created.models == ["baseline": "clf/1", "candidate": "clf/2"])
            _ = try await Self.traffic(services, deployment: "clf-canary", count: 600)
            let status = try await services.deployments.status(name: "clf-canary")
            #expect(status.state.phase == .rolledBack)
            #expect(status.state.candidatePercent == 0)
            #expect(status.state.reason?.contains("accuracy") == true, "\(status.state.reason ?? "")")
            let history = try await services.deployments.history(name: "clf-canary")
            #expect(history.map(\.kind) == ["created", "rolled_back"])
            #expect(history.last?.analysis?["candidate"]?.accuracy == 0)
            #expect(await services.runtime.loadedVersions == ["clf/1": 1], "the candidate is unloaded")
            // After the rollback everything goes to the baseline.
            let after = try await Self.traffic(services, deployment: "clf-canary", count: 50, offset: 1000)
            #expect(after == ["baseline": 50])
        }
    }

    @Test("a canary whose candidate is right walks every step to 100%", arguments: TestDatabases.kinds)
    func canaryPromotes(kind: DatabaseKind) async throws {
        try await TestDatabases.withServices(kind) { services in
            try await Self.setUp(services, candidateRight: true)
            let spec = DeploymentSpec(name: "clf-canary", strategy: .canary, baseline: "clf:1", candidate: "clf:2", minSamples: 20,
                                      gates: RolloutGates(minAccuracy: 0.9, maxP95LatencyMs: 1000, maxErrorRate: 0.01))
            _ = try await services.deployments.create(spec)
            var sent = 0
            while try await services.deployments.status(name: "clf-canary").state.phase == .progressing, sent < 5000 {
                _ = try await Self.traffic(services, deployment: "clf-canary", count: 100, offset: sent)
                sent += 100
            }
            let status = try await services.deployments.status(name: "clf-canary")
            #expect(status.state.phase == .promoted && status.state.candidatePercent == 100)
            let history = try await services.deployments.history(name: "clf-canary")
            #expect(history.map(\.kind) == ["created", "step", "step", "step", "step", "promoted"])
            #expect(history.map(\.candidatePercent) == [10, 25, 50, 75, 100, 100])
            #expect(zip(history, history.dropFirst()).allSatisfy { $0.time <= $1.time })
            #expect(await services.runtime.loadedVersions == ["clf/2": 1], "the baseline is released")
        }
    }

    @Test func stickyAssignmentKeepsAUnitOnOneVariant() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await Self.setUp(services, candidateRight: true)
            _ = try await services.deployments.create(DeploymentSpec(name: "d", strategy: .abTest, baseline: "clf:1", candidate: "clf:2", split: 30, minSamples: 1_000_000))
            var candidateUnits = 0
            for u in 0..<400 {
                let first = await services.deployments.route(name: "d", unit: "cell-\(u)")!.variant
                for _ in 0..<3 { #expect(await services.deployments.route(name: "d", unit: "cell-\(u)")!.variant == first) }
                if first == "candidate" { candidateUnits += 1 }
            }
            #expect((80...160).contains(candidateUnits), "about 30% of 400 units: \(candidateUnits)")
        }
    }

    @Test func shadowRecordsButNeverAnswers() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await Self.setUp(services, candidateRight: true)
            _ = try await services.deployments.create(DeploymentSpec(name: "s", strategy: .shadow, baseline: "clf:1", candidate: "clf:2",
                                                                     minSamples: 30, gates: RolloutGates(minAccuracy: 0.9)))
            var answers: Set<String> = []
            for i in 0..<60 {
                let r = try await services.predictions.predict(endpoint: "s", unit: "u\(i)", requestID: "r\(i)",
                                                               inputs: ["input": ServingTensor(shape: [1, 2], floats: [1, 0])])
                answers.insert(r.variant ?? "")
                #expect(r.outputs["label"]?.floats == [1], "the baseline (wrong) answers")
            }
            #expect(answers == ["baseline"])
            // Shadow predictions run in the background; wait until they are recorded.
            for _ in 0..<100 where try await services.deployments.analysis(name: "s")["candidate"]!.requests < 60 {
                try await Task.sleep(for: .milliseconds(10))
            }
            for i in 0..<60 { try await services.deployments.feedback(name: "s", requestID: "r\(i)", label: 0, reward: nil, conversion: nil) }
            let status = try await services.deployments.status(name: "s")
            #expect(status.state.phase == .concluded, "shadow validated: \(status.state)")
            #expect(status.analysis["baseline"]?.accuracy == 0)
        }
    }

    @Test func blueGreenSwitchesThenRollsBackInstantly() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await Self.setUp(services, candidateRight: true)
            _ = try await services.deployments.create(DeploymentSpec(name: "bg", strategy: .blueGreen, baseline: "clf:1", candidate: "clf:2",
                                                                     minSamples: 10, gates: RolloutGates(maxErrorRate: 0)))
            for i in 0..<40 {
                _ = try await services.predictions.predict(endpoint: "bg", requestID: "r\(i)", inputs: ["input": ServingTensor(shape: [1, 2], floats: [1, 0])])
                if try await services.deployments.status(name: "bg").state.phase == .switched { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(try await services.deployments.status(name: "bg").state.phase == .switched)
            #expect(await services.deployments.route(name: "bg", unit: "x")?.variant == "candidate")
            #expect(await services.runtime.loadedVersions.count == 2, "the old version stays warm")
            let rolled = try await services.deployments.rollback(name: "bg", reason: "operator saw a problem")
            #expect(rolled.state.phase == .rolledBack)
            #expect(await services.deployments.route(name: "bg", unit: "x")?.variant == "baseline")
            await #expect(throws: ServingError.self) { try await services.deployments.promote(name: "bg") }
        }
    }

    @Test func abTestRollsBackWhenSignificantlyWorse() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await Self.setUp(services, candidateRight: false)
            _ = try await services.deployments.create(DeploymentSpec(name: "ab", strategy: .abTest, baseline: "clf:1", candidate: "clf:2",
                                                                     minSamples: 50, gates: RolloutGates(abMetric: "accuracy")))
            // Labels agree with "the larger feature" 80% of the time: baseline ~0.8, candidate ~0.2.
            var g = SeededGenerator(seed: 5)
            var sent = 0
            while try await services.deployments.status(name: "ab").state.phase == .progressing, sent < 3000 {
                let x: [Float] = sent % 2 == 0 ? [1, 0] : [0, 1]
                _ = try await services.predictions.predict(endpoint: "ab", unit: "u\(sent)", requestID: "r\(sent)",
                                                           inputs: ["input": ServingTensor(shape: [1, 2], floats: x)])
                let truth: Float = (sent % 2 == 0) == (g.next() % 10 < 8) ? 0 : 1
                try await services.deployments.feedback(name: "ab", requestID: "r\(sent)", label: truth, reward: nil, conversion: nil)
                sent += 1
            }
            #expect(sent < 3000)
            let status = try await services.deployments.status(name: "ab")
            #expect(status.state.phase == .rolledBack && status.state.reason?.contains("significantly worse") == true)
        }
    }

    @Test func rulesBadSpecsAndRestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let logger = TestDatabases.logger
        let services = try await PlatformServices.open(dataDirectory: directory.url, logger: logger)
        try await Self.setUp(services, candidateRight: true)
        // A candidate with other inputs than the baseline is refused.
        await #expect { try await services.deployments.create(DeploymentSpec(name: "ran", strategy: .canary, baseline: "rule:strongest_signal?ues=2&stations=2",
                                                                              candidate: "clf:1")) } throws: {
            "\($0)".contains("inputs")
        }
        let bad: [(DeploymentSpec, String)] = [
            (DeploymentSpec(name: "x y", strategy: .single, baseline: "clf:1"), "name"),
            (DeploymentSpec(name: "c", strategy: .canary, baseline: "clf:1"), "candidate"),
            (DeploymentSpec(name: "c", strategy: .canary, baseline: "clf:1", candidate: "clf:2", steps: [50, 20, 100]), "steps"),
            (DeploymentSpec(name: "c", strategy: .canary, baseline: "clf:1", candidate: "clf:9"), "version"),
            (DeploymentSpec(name: "c", strategy: .single, baseline: "rule:psychic"), "psychic"),
            (DeploymentSpec(name: "c", strategy: .single, baseline: "clf:1", gates: RolloutGates(abMetric: "vibes")), "ab_metric"),
        ]
        for (spec, word) in bad {
            await #expect { try await services.deployments.create(spec) } throws: { "\($0)".contains(word) }
        }
        #expect(await services.deployments.list().isEmpty)
        _ = try await services.deployments.create(DeploymentSpec(name: "p", strategy: .canary, baseline: "clf:1", candidate: "clf:2", minSamples: 1000))
        _ = try await services.deployments.promote(name: "p")
        try await services.shutdown()

        // A restart restores definitions, states and loaded models.
        let reopened = try await PlatformServices.open(dataDirectory: directory.url, logger: logger)
        let restored = try await reopened.deployments.status(name: "p")
        #expect(restored.state.candidatePercent == 25 && restored.models.count == 2)
        #expect(try await reopened.deployments.history(name: "p").map(\.kind) == ["created", "step"])
        let rule = try await reopened.predictions.predict(endpoint: "rule:strongest_signal?ues=2&stations=2", requestID: "r",
                                                          inputs: ["observation": ServingTensor(shape: [1, 10], floats: [0, 0, 1, 0.5, 0, 1, 0, 0.2, 1, 0])])
        #expect(rule.outputs["action"]?.floats == [1, 2], "each UE connects to its best cell first (make before break)")
        try await reopened.shutdown()
    }
}

@Suite("Serving runtime")
struct ServingRuntimeTests {
    /// Concurrent requests to a batching deployment share forward passes, and each gets
    /// exactly the rows a lone prediction would give.
    @Test func dynamicBatchingSharesForwardPasses() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            let model = try ServingFixtures.mlp(seed: 4)
            try await ServingFixtures.register(model, as: "mlp", in: services)
            _ = try await services.deployments.create(DeploymentSpec(name: "b", strategy: .single, baseline: "mlp:1",
                                                                     batching: BatchingSpec(maxBatchSize: 16, maxWaitMicroseconds: 20_000)))
            let results = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let x: [Float] = [Float(i), 1, -Float(i) / 10, 0.5]
                        let r = try await services.predictions.predict(endpoint: "b", requestID: "r\(i)", inputs: ["input": ServingTensor(shape: [1, 4], floats: x)])
                        return (i, r.outputs["output"]!.floats!)
                    }
                }
                return try await group.reduce(into: [Int: [Float]]()) { $0[$1.0] = $1.1 }
            }
            for i in 0..<64 {
                let alone = model.network(Tensor(shape: [1, 4], scalars: [Float(i), 1, -Float(i) / 10, 0.5])).scalars
                #expect(zip(results[i]!, alone).allSatisfy { abs($0 - $1) < 1e-5 }, "request \(i)")
            }
            let statistics = await services.predictions.batchStatistics()
            let queue = try #require(statistics["mlp/1#16/20000"])
            #expect(queue.requests == 64)
            #expect(queue.batches < 64, "concurrent requests shared forward passes: \(queue.batches) batches")
        }
    }

    @Test func rollingReplacesReplicasOneAtATimeAndRecordsWho() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await DeploymentServiceTests.setUp(services, candidateRight: true)
            _ = try await services.deployments.create(DeploymentSpec(name: "r", strategy: .rolling, baseline: "clf:1", candidate: "clf:2",
                                                                     replicas: 3, minSamples: 10, gates: RolloutGates(minAccuracy: 0.9)), actor: "ana")
            var sent = 0
            while try await services.deployments.status(name: "r").state.phase == .progressing, sent < 3000 {
                _ = try await DeploymentServiceTests.traffic(services, deployment: "r", count: 20, offset: sent)
                sent += 20
            }
            let history = try await services.deployments.history(name: "r")
            #expect(history.map(\.candidatePercent).map { ($0 * 10).rounded() / 10 } == [33.3, 66.7, 100, 100])
            #expect(history.map(\.actor) == ["ana", "mlplane", "mlplane", "mlplane"])
        }
    }

    /// A trained PPO policy and the native encoder serve through the same runtime.
    @Test func policyAndEncoderModels() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            var g = SeededGenerator(seed: 2)
            let policy = Policy(network: ActorCritic(PolicyArchitecture(observationSize: 6, action: .categorical(counts: [3, 3])), using: &g),
                                normalizer: nil)
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let file = directory.url.appendingPathComponent("policy.safetensors")
            try policy.save(to: file.path)
            let recorder = LocalExperimentRecorder(services: services)
            let run = try await recorder.startRun(experiment: "p", name: "p", params: [:], tags: [:])
            try await recorder.logArtifact(run, path: "policy/policy.safetensors", contents: try Data(contentsOf: file))
            _ = try await recorder.registerVersion(model: "ppo", run: run, path: "policy", description: "", tags: [:])
            let observations = (0..<12).map { _ in g.nextUnitFloat() }
            let served = try await services.predictions.predict(endpoint: "ppo", requestID: "p1",
                                                                inputs: ["observation": ServingTensor(shape: [2, 6], floats: observations)])
            #expect(served.outputs["action"]?.floats == policy.act(observations))
            #expect(served.outputs["action"]?.shape == [2, 2])

            _ = try await services.registry.createModel(name: "minilm")
            _ = try await services.registry.createVersion(name: "minilm", source: "encoder:all-MiniLM-L6-v2")
            let embedded = try await services.predictions.predict(endpoint: "minilm", requestID: "e1",
                                                                  inputs: ["text": ServingTensor(shape: [2], strings: ["a cat", "a kitten"])])
            let e = try #require(embedded.outputs["embedding"]?.floats)
            #expect(embedded.outputs["embedding"]?.shape == [2, 384])
            let dot = zip(e[0..<384], e[384...]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
            #expect(dot > 0.5 && dot < 0.999, "related sentences, normalised vectors: \(dot)")
        }
    }
}

@Suite("Rollout gates")
struct RolloutGateRuleTests {
    /// A candidate whose requests fail rolls back on the error rate even though failed
    /// requests never get the labels an accuracy gate waits for.
    @Test func errorRateDoesNotWaitForLabels() async throws {
        try await TestDatabases.withServices(.sqlite) { services in
            try await DeploymentServiceTests.setUp(services, candidateRight: true)
            _ = try await services.deployments.create(DeploymentSpec(name: "e", strategy: .canary, baseline: "clf:1", candidate: "clf:2", minSamples: 10,
                                                                     gates: RolloutGates(minAccuracy: 0.9, maxErrorRate: 0.1)))
            for i in 0..<10 {
                await services.deployments.record(name: "e", requestID: "r\(i)", variant: "candidate", latencyMs: 0, failed: true, label: nil)
            }
            let status = try await services.deployments.status(name: "e")
            #expect(status.state.phase == .rolledBack && status.state.reason?.contains("error rate") == true, "\(status.state)")
        }
    }
}
