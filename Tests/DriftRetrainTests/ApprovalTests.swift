import DriftJSON
import DriftRegistry
import DriftRetrain
import DriftTestSupport
import Foundation
import Testing

/// Human approval (`promotion.approval: manual`): a validated challenger waits as pending, with its training
/// rows; approving promotes it and makes those rows the training data; rejecting and expiring turn it down;
/// decisions on versions that are not pending, or too late, are refused.
@Suite("Approvals")
struct ApprovalTests {
    /// A retraining of `m` on a changed concept under manual approval, pending at time 50 000 until 50 000 + `timeout`.
    static func pendingChallenger(timeout: Int64 = 60_000) throws -> (ModelRegistry, LabelledStore, String, Retrainer.Outcome) {
        let (registry, store, directory) = try RetrainerTests.registry()
        try store.append(RetrainerTests.rows(2_000, seed: 2, from: 10_000, concept: RetrainerTests.changed), model: "m")
        var retrainer = Retrainer(registry: registry, store: store)
        retrainer.folds = 3
        retrainer.approval = .manual
        retrainer.approvalTimeout = timeout
        let outcome = try retrainer.retrain("m", trigger: "drift", detail: "drift event", runID: "r-manual", now: 50_000)
        return (registry, store, directory, outcome)
    }

    @Test func aValidatedChallengerWaitsAndApprovalPromotesIt() throws {
        let (registry, store, directory, outcome) = try Self.pendingChallenger()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(outcome.pending && !outcome.promoted)
        #expect(outcome.event["status"]?.stringValue == "pending")
        #expect(outcome.event["approval"]?["state"]?.stringValue == "pending")
        #expect(outcome.event["approval"]?["expires_at"]?.stringValue == "1970-01-01T00:01:50.000Z")
        #expect(try registry.champion("m") == "1", "nothing changes before the approval")
        #expect(try store.training(model: "m").count == 1_500)
        let pending = try Approvals.pending(registry, model: "m")
        #expect(pending.map(\.version) == ["2"] && pending.first?.expiresAt == 110_000)

        let approved = try Approvals.approve(registry, store, model: "m", version: "2", by: "alice", now: 60_000)
        #expect(approved["status"]?.stringValue == "champion")
        #expect(approved["approval"]?["state"]?.stringValue == "approved" && approved["approval"]?["by"]?.stringValue == "alice")
        #expect(approved["profile"]?["model_version"]?.stringValue == "2", "the monitors get the new profile inline")
        #expect(try registry.champion("m") == "2")
        #expect(try store.training(model: "m").count == outcome.record.trainingRows + 400, "the challenger's rows (with the held-out ones) are the training data now")
        #expect(try store.recent(model: "m").isEmpty)
        #expect(try Approvals.pending(registry, model: "m").isEmpty)
        #expect(throws: Approvals.Refusal.self) { try Approvals.approve(registry, store, model: "m", version: "2", by: "alice", now: 61_000) }

        let events = try registry.history("m").map { Array($0.serialized().utf8) }
        let outcomes = try SchemaValidation.validate(documents: events, schema: "model-version-event.schema.json")
        #expect(outcomes.allSatisfy { $0.valid }, "\(outcomes.flatMap { $0.errors })")
    }

    @Test func rejectionAndExpiryTurnItDownAndLateDecisionsAreRefused() throws {
        let (registry, store, directory, _) = try Self.pendingChallenger(timeout: 10_000)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(Approvals.expire(registry, store, now: 59_999).isEmpty, "not yet")
        let expired = Approvals.expire(registry, store, now: 60_000)
        #expect(expired.count == 1 && expired.first?.model == "m")
        #expect(expired.first?.event["status"]?.stringValue == "rejected")
        #expect(expired.first?.event["approval"]?["state"]?.stringValue == "expired")
        #expect(try registry.champion("m") == "1")
        #expect(Approvals.expire(registry, store, now: 70_000).isEmpty, "expired once")
        do {
            _ = try Approvals.approve(registry, store, model: "m", version: "2", by: "bob", now: 61_000)
            Issue.record("an expired challenger was approved")
        } catch let refusal as Approvals.Refusal {
            #expect(refusal.code == "not_found")
        }

        let (registry2, store2, directory2, _) = try Self.pendingChallenger(timeout: 10_000)
        defer { try? FileManager.default.removeItem(atPath: directory2) }
        do {
            _ = try Approvals.approve(registry2, store2, model: "m", version: "2", by: "bob", now: 70_000)
            Issue.record("approved after its expiry")
        } catch let refusal as Approvals.Refusal {
            #expect(refusal.code == "expired")
        }
        let rejected = try Approvals.reject(registry2, store2, model: "m", version: "2", by: "carol", reason: "fairness review failed", now: 55_000)
        #expect(rejected["status"]?.stringValue == "rejected")
        #expect(rejected["reasons"]?.arrayValue?.first?.stringValue == "rejected by carol: fairness review failed")
        #expect(try registry2.champion("m") == "1")
        #expect(try store2.takePending(model: "m", version: "2") == nil, "its training rows are gone")
        #expect(throws: Approvals.Refusal.self) { try Approvals.reject(registry2, store2, model: "m", version: "1", by: "x", reason: nil, now: 55_000) }
    }
}
