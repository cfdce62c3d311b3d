import Foundation
import Hummingbird
import NIOCore
import Platform

/// `/api/v1/deployments/...`: create, list, get, promote, pause, resume, rollback, history,
/// analysis, feedback and delete.
struct DeploymentsController<Context: RequestContext> {
    let deployments: DeploymentService

    func register(on table: RouteTable<Context>) {
        let p = "/api/v1/deployments", tag = "deployments", deployments = self.deployments

        table.add(.post, p, summary: "Create a deployment {name, strategy, baseline, candidate, steps, split, replicas, min_samples, gates, batching}", tag: tag) { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            let spec: DeploymentSpec
            do { spec = try JSONDecoder().decode(DeploymentSpec.self, from: Data(body.readableBytesView)) } catch {
                throw APIError.badRequest("invalid deployment spec: \(Self.describe(error))")
            }
            return JSONResponse.make(["deployment": try await deployments.create(spec, actor: Self.actor(request))], status: .created)
        }
        table.add(.get, p, summary: "List deployments", tag: tag) { _, _ in
            JSONResponse.make(["deployments": await deployments.list()])
        }
        table.add(.get, "\(p)/:name", summary: "A deployment: spec, state, models, current analysis", tag: tag) { _, context in
            JSONResponse.make(["deployment": try await deployments.status(name: try context.parameters.require("name"))])
        }
        table.add(.delete, "\(p)/:name", summary: "Delete a deployment (its models unload when unused)", tag: tag) { _, context in
            try await deployments.delete(name: try context.parameters.require("name"))
            return JSONResponse.empty
        }
        table.add(.get, "\(p)/:name/history", summary: "Every transition with its timestamp and reason", tag: tag) { _, context in
            JSONResponse.make(["events": try await deployments.history(name: try context.parameters.require("name"))])
        }
        table.add(.get, "\(p)/:name/analysis", summary: "Figures of the current step per variant", tag: tag) { _, context in
            JSONResponse.make(["analysis": try await deployments.analysis(name: try context.parameters.require("name"))])
        }
        table.add(.post, "\(p)/:name/promote", summary: "Next traffic step, or all traffic to the candidate {reason}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            return JSONResponse.make(["deployment": try await deployments.promote(name: try context.parameters.require("name"), reason: try f.string("reason"), actor: Self.actor(request))])
        }
        table.add(.post, "\(p)/:name/rollback", summary: "Take the candidate out of traffic {reason}", tag: tag) { request, context in
            let f = try await RequestFields.from(request, context: context)
            let reason = try f.string("reason") ?? "rolled back by hand"
            return JSONResponse.make(["deployment": try await deployments.rollback(name: try context.parameters.require("name"), reason: reason, actor: Self.actor(request))])
        }
        table.add(.post, "\(p)/:name/pause", summary: "Suspend the rollout's analyses", tag: tag) { request, context in
            JSONResponse.make(["deployment": try await deployments.pause(name: try context.parameters.require("name"), actor: Self.actor(request))])
        }
        table.add(.post, "\(p)/:name/resume", summary: "Resume a paused rollout", tag: tag) { request, context in
            JSONResponse.make(["deployment": try await deployments.resume(name: try context.parameters.require("name"), actor: Self.actor(request))])
        }
        table.add(.post, "\(p)/:name/feedback", summary: "Outcomes for earlier predictions {request_id, label, reward, conversion} or {feedback: [...]}", tag: tag) { request, context in
            let name = try context.parameters.require("name")
            let f = try await RequestFields.from(request, context: context)
            let items = f.values["feedback"] != nil ? try f.objects("feedback") : [f]
            guard !items.isEmpty, items.count <= 10_000 else { throw APIError.badRequest("feedback must hold 1 to 10000 items") }
            var accepted = 0
            for (index, item) in items.enumerated() {
                let requestID = try item.required("request_id")
                let label = try Self.number(item, "label", at: index).map(Float.init)
                let reward = try Self.number(item, "reward", at: index)
                let conversion = try Self.bool(item, "conversion", at: index)
                try await deployments.feedback(name: name, requestID: requestID, label: label, reward: reward, conversion: conversion)
                accepted += 1
            }
            return JSONResponse.make(["accepted": accepted])
        }
    }

    /// Who asked (the audit field of every event): the `X-MLPlane-User` header, as the registry's history.
    static func actor(_ request: Request) -> String {
        MLflowRegistryController<Context>.actor(request)
    }

    static func number(_ f: RequestFields, _ key: String, at index: Int) throws -> Double? {
        guard let value = f.values[key], !(value is NSNull) else { return nil }
        guard let n = value as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
            throw APIError.badRequest("feedback[\(index)].\(key) must be a finite number")
        }
        return n.doubleValue
    }

    static func bool(_ f: RequestFields, _ key: String, at index: Int) throws -> Bool? {
        guard let value = f.values[key], !(value is NSNull) else { return nil }
        if let n = value as? NSNumber, String(cString: n.objCType) == "c" { return n.boolValue }
        if let n = value as? NSNumber, n.doubleValue == 0 || n.doubleValue == 1 { return n.doubleValue == 1 }
        throw APIError.badRequest("feedback[\(index)].\(key) must be true/false or 0/1")
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            "field '\(c.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let c):
            c.codingPath.isEmpty ? "the body is not valid JSON" : "field '\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
        default: "\(error)"
        }
    }
}
