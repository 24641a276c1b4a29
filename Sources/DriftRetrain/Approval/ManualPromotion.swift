import DriftContracts
public import DriftJSON
public import DriftRegistry
import Foundation

/// Makes a registered version the champion by hand (`driftwatch promote`, `POST
/// /api/models/{model}/versions/{version}/promote`): an earlier champion, a challenger the policy rejected, or a
/// pending one (which is then approved). Returns the model-version event to publish, already logged.
public enum ManualPromotion {
    /// Promotes `version` of `model` for `by`, with an optional `reason`, at `now`.
    public static func run(_ registry: ModelRegistry, _ store: LabelledStore, model: String, version: String, by: String,
                           reason: String?, now: Int64 = Approvals.now()) throws -> JSONValue {
        guard (try? registry.versions(model))?.contains(version) == true else {
            throw Approvals.Refusal(code: "not_found", reason: "\(model) has no registered version \(version)")
        }
        if try Approvals.pending(registry, model: model).contains(where: { $0.version == version }) {
            return try Approvals.approve(registry, store, model: model, version: version, by: by, now: now)
        }
        guard try registry.champion(model) != version else {
            throw Approvals.Refusal(code: "conflict", reason: "version \(version) of \(model) is already the champion")
        }
        let record = try registry.record(model, version)
        let event = ModelVersionEvent.json(
            record, status: "champion", at: now, reasons: ["promoted by hand by \(by)" + (reason.map { ": \($0)" } ?? "")],
            profile: try registry.profile(model, version))
        try registry.promote(model, version, event: event, at: now)
        return event
    }
}
