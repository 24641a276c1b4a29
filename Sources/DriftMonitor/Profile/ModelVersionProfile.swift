import DriftJSON

/// Reads the reference profile a model-version event carries (`schemas/model-version-event.schema.json`,
/// topic `model-versions`): the retraining worker registers each version with its profile inline, so a
/// monitor watches a new version without a file being copied anywhere.
public enum ModelVersionProfile {
    /// Why a model-version event could not give a profile.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The profile in the event, or `nil` when it carries none (`"profile": null` or absent — a rejection,
    /// a rollback notice). Throws when the event or its profile is malformed, or names another model or
    /// version than the event.
    public static func profile(fromEvent bytes: [UInt8]) throws(Failure) -> ReferenceProfile? {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw Failure(reason: "not JSON: \(error)")
        }
        guard root["schema_version"]?.stringValue == "1" else { throw Failure(reason: "schema_version is not \"1\"") }
        guard let modelID = root["model_id"]?.stringValue, let version = root["version"]?.stringValue else {
            throw Failure(reason: "model_id and version are required")
        }
        guard let inline = root["profile"], inline != .null else { return nil }
        let profile: ReferenceProfile
        do {
            profile = try ReferenceProfile(json: Array(inline.serialized().utf8), path: "model-versions \(modelID)@\(version)")
        } catch {
            throw Failure(reason: "\(error)")
        }
        guard profile.modelID == modelID, profile.modelVersion == version else {
            throw Failure(reason: "the profile is of \(profile.modelID)@\(profile.modelVersion), the event of \(modelID)@\(version)")
        }
        return profile
    }
}
