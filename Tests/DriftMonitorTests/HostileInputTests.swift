import DriftContracts
import DriftTestSupport
@testable import DriftMonitor
import Testing

/// The hostile-input corpus (`HostileCorpus`, 80+ classes) through stage 1, between good events: each bad event is
/// dead-lettered with its class's reason, nothing traps, and every good event around them is accepted.
@Suite("Hostile input through stage 1")
struct HostileInputTests {
    @Test func everyClassIsDeadLetteredWithItsReasonAndTheGoodEventsGoOn() throws {
        let stream = SyntheticStream(seed: 7)
        let profile = try stream.profile(rows: 1_000)
        var overLimit = profile
        overLimit.modelID = "over-limit"
        var configuration = Stage1Configuration(window: .tumbling(10_000, grace: 60_000))
        configuration.limits.maximumModels = 1
        configuration.limits.decoder.maximumPayloadBytes = 256 << 10
        var stage1 = Stage1Processor(configuration: configuration, profiles: [profile, overLimit])
        #expect(stage1.initialRefusals.map(\.limit) == [.models])

        let now: Int64 = 1_800_000_000_000
        var context = HostileCorpus.Context(timestamp: now - 3_600_000, now: now)
        context.model = profile.modelID
        context.maximumPayloadBytes = configuration.limits.decoder.maximumPayloadBytes
        let cases = HostileCorpus.cases(context)
        #expect(Set(cases.map(\.name)).count == cases.count, "class names are unique")
        #expect(cases.count >= 50)

        var expected: [String: String] = [:]
        var offset: Int64 = 0
        let source = SourcePartition(topic: "inference-events", partition: 0)
        for (index, hostile) in cases.enumerated() {
            let good = stream.record(index, timestamp: context.timestamp + Int64(index)).json()
            good.withUnsafeBytes { stage1.processInference($0, source: source, offset: offset, now: now) }
            offset += 1
            expected["\(offset)"] = hostile.name
            hostile.payload.withUnsafeBytes { bytes in
                if hostile.topic == "feedback" {
                    stage1.processFeedback(bytes, key: Array(hostile.key.utf8), source: SourcePartition(topic: "feedback-events", partition: 0), offset: offset, now: now)
                } else {
                    stage1.processInference(bytes, key: Array(hostile.key.utf8), source: source, offset: offset, now: now)
                }
            }
            offset += 1
        }
        var got: [String: (reason: String, message: String)] = [:]
        for output in stage1.drain() {
            guard case .deadLetter(let record) = output else { continue }
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            #expect(got[key] == nil, "\(key) dead-lettered twice")
            got[key] = (record.reason.rawValue, record.message)
            #expect(!record.message.isEmpty)
        }
        var mismatches: [String] = []
        for hostile in cases where got[hostile.key]?.reason != hostile.reason {
            mismatches.append("\(hostile.name): expected \(hostile.reason), got \(got[hostile.key].map { "\($0.reason) (\($0.message))" } ?? "nothing")")
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(got.count == cases.count)
        #expect(stage1.counters.inferenceAccepted == UInt64(cases.count), "every good event between them is accepted")
        #expect(stage1.counters.deadLetteredTotal == UInt64(cases.count))
        #expect(Set(cases.map(\.reason)).count >= 12, "the corpus covers the reason codes")
    }
}
