public import DriftJSON

/// Somewhere else a registry's changes are recorded as they happen (an MLflow tracking server). The local
/// directory stays the source of truth: a mirror that fails is reported, never blocks a registration.
public protocol RegistryMirror: Sendable {
    /// A version was registered: its record and the paths of its artifacts (model.json, profile.json, version.json).
    func registered(_ record: VersionRecord, artifacts: [String]) throws
    /// A model-version event (champion, rejected, rolled_back, registered, …) was logged for `record`.
    func changed(_ record: VersionRecord, event: JSONValue) throws
}
