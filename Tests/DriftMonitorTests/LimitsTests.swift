import DriftContracts
import DriftJSON
@testable import DriftMonitor
import Testing

/// The resource limits (`MonitorLimits`, `limits.*`): each cap, when reached, refuses with a reason that names it
/// and never stops the processor; events of other models go on being accepted.
@Suite("Resource limits")
struct LimitsTests {
    static let stream = SyntheticStream(seed: 3)

    static func profile(_ model: String) throws -> ReferenceProfile {
        var profile = try stream.profile(rows: 500)
        profile.modelID = model
        return profile
    }

    static func event(_ model: String, at time: Int64, index: Int = 0) -> [UInt8] {
        var record = stream.record(index, timestamp: time)
        record.modelID = model
        record.eventID = "\(model)-\(index)-\(time)"
        return record.json()
    }

    static func process(_ stage1: inout Stage1Processor, _ payload: [UInt8], offset: Int64, now: Int64 = 10_000_000) {
        payload.withUnsafeBytes { stage1.processInference($0, source: SourcePartition(topic: "t", partition: 0), offset: offset, now: now) }
    }

    static func reasons(_ outputs: [Stage1Output]) -> [(ViolationReason, String)] {
        outputs.compactMap { output in
            if case .deadLetter(let record) = output { return (record.reason, record.message) }
            return nil
        }
    }

    @Test("the model cap refuses a further profile; its events are dead-lettered model_over_limit, the others' accepted")
    func modelCap() throws {
        var configuration = Stage1Configuration(window: .tumbling(60_000))
        configuration.limits.maximumModels = 2
        var stage1 = Stage1Processor(configuration: configuration, profiles: [try Self.profile("a"), try Self.profile("b"), try Self.profile("c")])
        #expect(stage1.initialRefusals.map(\.limit) == [.models])
        #expect(stage1.initialRefusals.first?.description.contains("limits.max_models") == true)
        let replaced = stage1.add(try Self.profile("a"))
        #expect(replaced == nil, "replacing a loaded version is not a further model")
        Self.process(&stage1, Self.event("a", at: 9_990_000), offset: 0)
        Self.process(&stage1, Self.event("c", at: 9_990_000), offset: 1)
        Self.process(&stage1, Self.event("zzz", at: 9_990_000), offset: 2)
        let reasons = Self.reasons(stage1.drain())
        #expect(reasons.map(\.0) == [.modelOverLimit, .unknownModel])
        #expect(reasons.first?.1.contains("limits.max_models") == true)
        #expect(stage1.counters.inferenceAccepted == 1)
    }

    @Test("profiles with more features, or a feature with more categories, than the caps are refused, naming the cap")
    func featureAndCategoryCaps() throws {
        let profile = try Self.profile("m")
        var features = Stage1Configuration(window: .tumbling(60_000))
        features.limits.maximumFeaturesPerModel = profile.features.count - 1
        var stage1 = Stage1Processor(configuration: features, profiles: [])
        let added = stage1.add(profile)
        let refusal = try #require(added)
        #expect(refusal.limit == .featuresPerModel && refusal.description.contains("\(profile.features.count) features"))
        Self.process(&stage1, Self.event("m", at: 9_990_000), offset: 0)
        #expect(Self.reasons(stage1.drain()).map(\.0) == [.modelOverLimit])

        let largest = profile.features.compactMap { feature -> Int? in
            if case .categorical(let summary) = feature.summary { return summary.counts.count }
            return nil
        }.max() ?? 0
        #expect(largest > 1)
        var categories = Stage1Configuration(window: .tumbling(60_000))
        categories.limits.maximumCategoriesPerFeature = largest - 1
        var other = Stage1Processor(configuration: categories, profiles: [])
        let refusedCategories = other.add(profile)
        #expect(refusedCategories?.limit == .categoriesPerFeature)
        categories.limits.maximumCategoriesPerFeature = largest
        var fits = Stage1Processor(configuration: categories, profiles: [])
        let fitting = fits.add(profile)
        #expect(fitting == nil, "exactly at the cap is allowed")
    }

    @Test("an event that would open a window beyond the cap on its partition is dead-lettered too_many_windows")
    func windowsInFlightCap() throws {
        var spec = WindowSpec.tumbling(1_000, grace: 60_000)
        spec.maximumOpenWindows = 3
        var stage1 = Stage1Processor(configuration: Stage1Configuration(window: spec), profiles: [try Self.profile("m")])
        for (offset, time) in [Int64(9_000_000), 9_001_000, 9_002_000, 9_003_000, 9_002_500].enumerated() {
            Self.process(&stage1, Self.event("m", at: time, index: offset), offset: Int64(offset))
        }
        let reasons = Self.reasons(stage1.drain())
        #expect(reasons.map(\.0) == [.tooManyWindows])
        #expect(reasons.first?.1.contains("limits.max_windows_in_flight") == true)
        #expect(stage1.counters.inferenceAccepted == 4, "the fourth window is refused; an event of an open window still goes in")
        #expect(MonitorLimits.Name(deadLetter: .tooManyWindows) == .windowsInFlight)
        #expect(MonitorLimits.Name(deadLetter: .tooManyFeatures) == .featuresPerEvent)
        #expect(MonitorLimits.Name(deadLetter: .oversizePayload) == .payloadBytes)
        #expect(MonitorLimits.Name(deadLetter: .malformedJSON) == nil)
    }

    @Test("the decoder's caps come from the configuration: features per event and payload size")
    func decoderCaps() throws {
        var configuration = Stage1Configuration(window: .tumbling(60_000))
        configuration.limits.decoder.maximumFeatures = 10
        configuration.limits.decoder.maximumPayloadBytes = 300
        var stage1 = Stage1Processor(configuration: configuration, profiles: [try Self.profile("m")])
        Self.process(&stage1, Self.event("m", at: 9_990_000), offset: 0)
        let payload = Self.event("m", at: 9_990_000)
        #expect(payload.count > 300)
        var small = Array(#"{"event_id":"e","model_id":"m","model_version":"1","timestamp":9990000,"features":{"#.utf8)
        small += Array((0..<11).map { "\"f\($0)\":1" }.joined(separator: ",").utf8)
        small += Array(#"},"prediction":{"label":"a"}}"#.utf8)
        #expect(small.count <= 300)
        Self.process(&stage1, small, offset: 1)
        #expect(Self.reasons(stage1.drain()).map(\.0) == [.oversizePayload, .tooManyFeatures])
    }
}
