/// Why an event was refused: a stable reason code, the field path, and a message for people.
///
/// The reason codes are a contract: they appear in dead-letter records (`reason`) and as the `reason`
/// label of the dead-letter metric.
public struct ContractViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable reason code.
    public let reason: ViolationReason
    /// Where in the payload, as a dotted path from the root (`features.age`, `prediction.probabilities`);
    /// `$` for the payload as a whole.
    public let path: String
    /// What was wrong, in words.
    public let message: String

    public init(_ reason: ViolationReason, path: String, _ message: String) {
        self.reason = reason
        self.path = path
        self.message = message
    }

    public var description: String { "\(reason.rawValue) at \(path): \(message)" }
}

/// The reason codes of refused events.
public enum ViolationReason: String, Sendable, CaseIterable, Codable {
    /// Not valid JSON (syntax, invalid UTF-8, `NaN` / `Infinity` literals, nesting too deep).
    case malformedJSON = "malformed_json"
    /// The payload is larger than the configured limit.
    case oversizePayload = "oversize_payload"
    /// A required field is absent.
    case missingField = "missing_field"
    /// A field has the wrong JSON type.
    case wrongType = "wrong_type"
    /// A number is too large to represent (it would be infinite).
    case nonFiniteNumber = "non_finite_number"
    /// A value breaks a rule of its field (an empty name, a string too long, a negative latency).
    case invalidValue = "invalid_value"
    /// The timestamp is neither RFC 3339 nor epoch milliseconds, or out of range.
    case invalidTimestamp = "invalid_timestamp"
    /// Probabilities outside [0, 1], or not summing to 1 within the tolerance, or a label not among them.
    case invalidProbabilities = "invalid_probabilities"
    /// A member name appears twice in one object.
    case duplicateKey = "duplicate_key"
    /// More features than the configured limit.
    case tooManyFeatures = "too_many_features"
    /// No reference profile is loaded for the event's model (and version).
    case unknownModel = "unknown_model"
    /// The event's window closed (watermark past its end plus the grace) before it arrived.
    case lateEvent = "late_event"
    /// The event would open more windows on its partition than the limit (`limits.max_windows_in_flight`).
    case tooManyWindows = "too_many_windows"
    /// The event's model version is not watched because its profile broke a limit (the message names it:
    /// `limits.max_models`, `limits.max_features_per_model`, `limits.max_categories_per_feature`).
    case modelOverLimit = "model_over_limit"
}
