public import DriftContracts

/// The caps that keep a monitor's memory bounded whatever its producers send (`limits.*` in the configuration).
/// Reaching one never stops the worker: the event is dead-lettered with a reason that names the limit, or the
/// profile is refused with an error naming it, and `driftwatch_limits_reached_total{limit}` counts it.
///
/// | limit | default | when reached |
/// |---|---|---|
/// | ``maximumModels`` | 1,000 | a further model version's profile is refused; its events are dead-lettered `model_over_limit` |
/// | ``maximumFeaturesPerModel`` | 2,000 | a profile with more features is refused; its events `model_over_limit` |
/// | ``maximumCategoriesPerFeature`` | 10,000 | a profile with a categorical feature of more categories is refused; its events `model_over_limit` |
/// | windows in flight (`WindowSpec/maximumOpenWindows`) | 64 | an event that would open one more window on its partition is dead-lettered `too_many_windows` |
/// | `decoder.maximumFeatures` | 2,000 | an event with more features is dead-lettered `too_many_features` |
/// | `decoder.maximumPayloadBytes` | 1 MiB | a larger payload is dead-lettered `oversize_payload` |
///
/// Within a window, each categorical feature tracks at most 64 categories the reference never had by name (the
/// rest are counted together), and the symbol table holds at most 1,048,576 distinct strings (later ones are
/// told apart no more): bounds fixed in the code.
public struct MonitorLimits: Sendable, Equatable {
    /// Most model versions with a loaded profile.
    public var maximumModels = 1_000
    /// Most features in one model version's profile.
    public var maximumFeaturesPerModel = 2_000
    /// Most reference categories of one categorical feature.
    public var maximumCategoriesPerFeature = 10_000
    /// The decoder's bounds on each payload.
    public var decoder = DecoderLimits()

    public init() {}

    /// The limits' names, as the `limit` label of `driftwatch_limits_reached_total`.
    public enum Name: String, Sendable, CaseIterable {
        case models
        case featuresPerModel = "features_per_model"
        case categoriesPerFeature = "categories_per_feature"
        case windowsInFlight = "windows_in_flight"
        case featuresPerEvent = "features_per_event"
        case payloadBytes = "payload_bytes"

        /// The limit a dead-letter reason reports reaching, if any.
        public init?(deadLetter reason: ViolationReason) {
            switch reason {
            case .tooManyWindows: self = .windowsInFlight
            case .tooManyFeatures: self = .featuresPerEvent
            case .oversizePayload: self = .payloadBytes
            default: return nil
            }
        }
    }

    /// Why a profile is refused.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var limit: Name
        public var description: String
    }

    /// Checks `profile` when `loaded` other model versions have profiles.
    public func check(_ profile: ReferenceProfile, loaded: Int) -> Refusal? {
        let largest = profile.features.map { feature -> Int in
            if case .categorical(let summary) = feature.summary { return summary.counts.count }
            return 0
        }.max() ?? 0
        return check(model: profile.modelID, version: profile.modelVersion, features: profile.features.count, largestCategories: largest, loaded: loaded)
    }

    /// Checks a profile of `model`@`version` with `features` features, the largest categorical one having
    /// `largestCategories` categories, when `loaded` other model versions have profiles.
    public func check(model: String, version: String, features: Int, largestCategories: Int, loaded: Int) -> Refusal? {
        if loaded >= maximumModels {
            return Refusal(limit: .models, description: "\(model)@\(version) is not watched: \(loaded) model versions are loaded, the limit is \(maximumModels) (limits.max_models)")
        }
        if features > maximumFeaturesPerModel {
            return Refusal(limit: .featuresPerModel, description: "the profile of \(model)@\(version) has \(features) features, the limit is \(maximumFeaturesPerModel) (limits.max_features_per_model)")
        }
        if largestCategories > maximumCategoriesPerFeature {
            return Refusal(limit: .categoriesPerFeature, description: "the profile of \(model)@\(version) has a feature of \(largestCategories) categories, the limit is \(maximumCategoriesPerFeature) (limits.max_categories_per_feature)")
        }
        return nil
    }
}
