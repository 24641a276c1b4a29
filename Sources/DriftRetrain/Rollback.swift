public import DriftJSON
public import DriftRegistry
import DriftMonitor
import Foundation

/// Puts a model's previous champion back (by hand, `driftwatch rollback`, or when the ``RollbackPolicy``
/// says so): the current champion is marked `rolled_back`, the previous one promoted again, and both
/// events are logged in the registry and returned for publishing.
public enum Rollback {
    /// Why a rollback could not happen.
    public struct Refusal: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// Rolls `model` back to `target` (default: the previous champion), for `reason`, at `now`.
    /// Returns the events: the demoted version's `rolled_back`, then the restored version's `champion`.
    public static func run(_ registry: ModelRegistry, model: String, to target: String? = nil, reason: String,
                           now: Int64? = nil) throws -> [JSONValue] {
        let now = now ?? Int64(Date().timeIntervalSince1970 * 1_000)
        guard let current = try registry.champion(model) else { throw Refusal(reason: "\(model) has no champion to roll back") }
        guard let restored = try target ?? registry.previousChampion(model) else {
            throw Refusal(reason: "\(model) has no earlier champion than version \(current)")
        }
        guard restored != current else { throw Refusal(reason: "version \(restored) of \(model) is already the champion") }
        let demoted = try registry.record(model, current)
        let back = try registry.record(model, restored)
        let rolledBack = ModelVersionEvent.json(demoted, status: "rolled_back", at: now, reasons: [reason, "version \(restored) restored"])
        try registry.log(model, event: rolledBack)
        let promoted = ModelVersionEvent.json(back, status: "champion", at: now, reasons: ["restored by a rollback of version \(current): \(reason)"],
                                              profile: try registry.profile(model, restored))
        try registry.promote(model, restored, event: promoted, at: now)
        return [rolledBack, promoted]
    }
}
