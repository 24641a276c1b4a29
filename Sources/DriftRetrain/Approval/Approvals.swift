import DriftContracts
public import DriftJSON
public import DriftRegistry
import Foundation

/// Who decides whether a validated challenger becomes the champion.
public enum ApprovalMode: String, Sendable, CaseIterable {
    /// The promotion policy alone.
    case automatic
    /// The promotion policy, then a person: the challenger waits as `pending` until approved, rejected or expired.
    case manual
}

/// Human approval of challengers (`promotion.approval: manual`): the pending ones (from the registry's history),
/// and approving, rejecting and expiring them. Each returns the model-version event to publish, already logged
/// in the registry. A pending challenger's training rows wait in the store and become the model's training data
/// when it is approved.
public enum Approvals {
    /// A challenger awaiting a decision.
    public struct Pending: Sendable, Equatable {
        public var model: String
        public var version: String
        /// When it was registered as pending, and when it expires (ms).
        public var since: Int64
        public var expiresAt: Int64
        /// The promotion policy's reasons.
        public var reasons: [String]
    }

    /// Why an approval or rejection could not happen.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        /// `not_found` (no such pending challenger), `expired`.
        public var code: String
        public var reason: String
        public var description: String { reason }
    }

    /// The `approval` member of a model-version event.
    public static func approvalJSON(_ state: String, by: String?, expiresAt: Int64?) -> JSONValue {
        var members: [(String, JSONValue)] = [("mode", .string("manual")), ("state", .string(state)), ("by", by.map(JSONValue.string) ?? .null)]
        if let expiresAt { members.append(("expires_at", .string(EventTimestamp.format(expiresAt)))) }
        return .object(members)
    }

    /// The model's pending challengers, oldest first: versions whose latest event is `pending`.
    public static func pending(_ registry: ModelRegistry, model: String) throws -> [Pending] {
        var latest: [String: JSONValue] = [:]
        var order: [String] = []
        for event in try registry.history(model) {
            guard let version = event["version"]?.stringValue else { continue }
            if latest[version] == nil { order.append(version) }
            latest[version] = event
        }
        return order.compactMap { version in
            guard let event = latest[version], event["status"]?.stringValue == "pending",
                  let since = event["created_at"]?.stringValue.flatMap(EventTimestamp.parse),
                  let expires = event["approval"]?["expires_at"]?.stringValue.flatMap(EventTimestamp.parse) else { return nil }
            return Pending(model: model, version: version, since: since, expiresAt: expires,
                           reasons: (event["reasons"]?.arrayValue ?? []).compactMap(\.stringValue))
        }
    }

    /// Every model's pending challengers.
    public static func pending(_ registry: ModelRegistry) -> [Pending] {
        registry.models().flatMap { (try? pending(registry, model: $0)) ?? [] }
    }

    /// Promotes a pending challenger: it becomes the champion (its profile inline), its training rows the model's.
    public static func approve(_ registry: ModelRegistry, _ store: LabelledStore, model: String, version: String, by: String,
                               now: Int64 = Self.now()) throws -> JSONValue {
        let pending = try waiting(registry, model: model, version: version, now: now)
        let record = try registry.record(model, version)
        let event = ModelVersionEvent.json(
            record, status: "champion", at: now, reasons: ["approved by \(by)"] + pending.reasons,
            profile: try registry.profile(model, version), approval: approvalJSON("approved", by: by, expiresAt: pending.expiresAt))
        try registry.promote(model, version, event: event, at: now)
        if let training = try store.takePending(model: model, version: version) {
            try store.trained(model: model, training: training.rows, through: training.through)
        }
        return event
    }

    /// Turns a pending challenger down.
    public static func reject(_ registry: ModelRegistry, _ store: LabelledStore, model: String, version: String, by: String,
                              reason: String?, now: Int64 = Self.now()) throws -> JSONValue {
        let pending = try waiting(registry, model: model, version: version, now: now)
        let record = try registry.record(model, version)
        let event = ModelVersionEvent.json(
            record, status: "rejected", at: now, reasons: ["rejected by \(by)" + (reason.map { ": \($0)" } ?? "")],
            approval: approvalJSON("rejected", by: by, expiresAt: pending.expiresAt))
        try registry.log(model, event: event)
        try store.dropPending(model: model, version: version)
        return event
    }

    /// Rejects every pending challenger whose time ran out; their events, with the model.
    public static func expire(_ registry: ModelRegistry, _ store: LabelledStore, now: Int64 = Self.now()) -> [(model: String, event: JSONValue)] {
        var events: [(String, JSONValue)] = []
        for pending in pending(registry) where pending.expiresAt <= now {
            guard let record = try? registry.record(pending.model, pending.version) else { continue }
            let event = ModelVersionEvent.json(
                record, status: "rejected", at: now,
                reasons: ["not approved by \(EventTimestamp.format(pending.expiresAt)): the challenger expired"],
                approval: approvalJSON("expired", by: nil, expiresAt: pending.expiresAt))
            guard (try? registry.log(pending.model, event: event)) != nil else { continue }
            try? store.dropPending(model: pending.model, version: pending.version)
            events.append((pending.model, event))
        }
        return events
    }

    private static func waiting(_ registry: ModelRegistry, model: String, version: String, now: Int64) throws -> Pending {
        guard let pending = try pending(registry, model: model).first(where: { $0.version == version }) else {
            throw Refusal(code: "not_found", reason: "\(model) version \(version) is not awaiting approval")
        }
        guard pending.expiresAt > now else {
            throw Refusal(code: "expired", reason: "\(model) version \(version) expired at \(EventTimestamp.format(pending.expiresAt))")
        }
        return pending
    }

    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1_000) }
}
