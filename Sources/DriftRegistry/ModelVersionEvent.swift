import DriftContracts
public import DriftJSON
public import DriftMonitor

/// A model-version event (`schemas/model-version-event.schema.json`, topic `model-versions`, key: the model
/// id): a version registered, promoted (`champion`), rejected, pending, rolled back or retired.
public enum ModelVersionEvent {
    /// The statuses the schema allows.
    public static let statuses = ["registered", "champion", "challenger", "pending", "rejected", "rolled_back", "retired"]

    /// The event for `record` in `status`, at `time`, with `reasons`; `profile` inline when the receivers
    /// should load it (a promotion). The id is deterministic: model, version, status and time.
    /// `approval`, under the manual promotion policy: `{mode, state (pending, approved, rejected, expired), by,
    /// expires_at}`.
    public static func json(_ record: VersionRecord, status: String, at time: Int64, reasons: [String] = [],
                            profile: ReferenceProfile? = nil, approval: JSONValue? = nil) -> JSONValue {
        var lineage: [(String, JSONValue)] = [
            ("parent_version", record.parentVersion.map(JSONValue.string) ?? .null),
            ("trigger", .string(record.trigger)),
            ("training_rows", .int(record.trainingRows)),
        ]
        if let from = record.dataFrom { lineage.append(("data_from", .string(EventTimestamp.format(from)))) }
        if let to = record.dataTo { lineage.append(("data_to", .string(EventTimestamp.format(to)))) }
        var profileValue = JSONValue.null
        if let profile, let parsed = try? JSONValue.parse(profile.json()) { profileValue = parsed }
        var members: [(String, JSONValue)] = [
            ("schema_version", .string("1")),
            ("event_id", .string("\(record.modelID)@\(record.version)/\(status)/\(time)")),
            ("model_id", .string(record.modelID)),
            ("version", .string(record.version)),
            ("status", .string(status)),
            ("run_id", .string(record.runID)),
            ("created_at", .string(EventTimestamp.format(time))),
            ("metrics", .object(record.metrics.map { ($0.0, .number($0.1)) })),
            ("lineage", .object(lineage)),
            ("reasons", .array(reasons.map(JSONValue.string))),
            ("profile", profileValue),
        ]
        if let approval { members.append(("approval", approval)) }
        return .object(members)
    }
}
