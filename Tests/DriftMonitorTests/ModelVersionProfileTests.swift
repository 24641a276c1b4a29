import DriftMonitor
import DriftTestSupport
import Foundation
import Testing

/// Profiles carried inline by model-version events (`schemas/model-version-event.schema.json`).
@Suite struct ModelVersionProfileTests {
    static func event(model: String = "credit-risk", version: String = "1", profile: String) -> [UInt8] {
        Array(#"{"schema_version":"1","event_id":"mv-\#(model)-\#(version)","model_id":"\#(model)","version":"\#(version)","status":"champion","created_at":"2026-11-23T10:00:00Z","profile":\#(profile)}"#.utf8)
    }

    @Test func inlineProfileIsLoadedAndTheEventValidates() throws {
        let profile = try SyntheticStream(seed: 7).profile(rows: 2_000)
        let document = Self.event(profile: String(decoding: profile.json(), as: UTF8.self))
        let loaded = try #require(try ModelVersionProfile.profile(fromEvent: document))
        #expect(loaded.modelID == "credit-risk" && loaded.modelVersion == "1")
        #expect(loaded.features.map(\.name) == profile.features.map(\.name))
        let validation = try SchemaValidation.validate(documents: [document], schema: "model-version-event.schema.json")
        #expect(validation.allSatisfy { $0.valid }, "\(validation)")
    }

    @Test func eventsWithoutAProfileOrWithAnotherModelsProfile() throws {
        #expect(try ModelVersionProfile.profile(fromEvent: Self.event(profile: "null")) == nil)
        let profile = try SyntheticStream(seed: 7).profile(rows: 500)
        let json = String(decoding: profile.json(), as: UTF8.self)
        #expect(throws: ModelVersionProfile.Failure.self) { try ModelVersionProfile.profile(fromEvent: Self.event(version: "2", profile: json)) }
        #expect(throws: ModelVersionProfile.Failure.self) { try ModelVersionProfile.profile(fromEvent: Array("{\"schema_version\":".utf8)) }
        #expect(throws: ModelVersionProfile.Failure.self) { try ModelVersionProfile.profile(fromEvent: Self.event(profile: #"{"kind":"other"}"#)) }
    }
}
