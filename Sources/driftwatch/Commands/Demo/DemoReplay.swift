import DriftContracts
import DriftJSON
import DriftKafka
import DriftRegistry
import Foundation

/// Replays rows through the model server (`POST /v1/predict/batch`, ten batches a second) and publishes
/// each row's label as a feedback event `labelDelay` later, as a labelling system would.
struct DemoReplay {
    let rows: [LabelledRow]
    let driftStart: Int
    let scenarioName: String
    let modelID: String
    let rate: Int
    let labelDelay: Int64
    let serveURL: String
    let bootstrap: String
    let follow: Bool
    let timeline: DemoTimeline
    let windowMilliseconds: Int64

    struct Totals {
        var events = 0
        var labels = 0
        var rate = 0.0
    }

    /// Replays until the rows run out (unless following) or `shouldStop` says so.
    func run(shouldStop: () -> Bool) async throws -> Totals {
        var configuration = KafkaConfiguration(bootstrapServers: bootstrap)
        configuration.clientID = "driftwatch-demo-labels"
        let producer = try KafkaProducer(configuration: configuration)
        let began = ContinuousClock.now
        let perTick = max(1, rate / 10)
        var pending: [(due: Int64, id: String, label: String)] = []
        var totals = Totals()
        var index = 0
        var tick = 0
        var announced = false
        var progressAt = ContinuousClock.now
        while !shouldStop() {
            if index >= rows.count {
                guard follow else { break }
                index = driftStart
            }
            if !announced, index >= driftStart {
                announced = true
                timeline.driftStarted(row: driftStart, scenario: scenarioName)
            }
            let batch = rows[index..<min(index + perTick, rows.count, index >= driftStart ? rows.count : driftStart)]
            let ids = (0..<batch.count).map { "demo-\(totals.events + $0)" }
            let body = JSONValue.object([("instances", .array(zip(ids, batch).map { id, row in
                .object([("event_id", .string(id)), ("features", .object(row.features.sorted { $0.key < $1.key }.map { name, value in
                    switch value {
                    case .number(let number): (name, JSONValue.number(number))
                    case .text(let text): (name, .string(text))
                    case .missing: (name, .null)
                    }
                }))])
            }))])
            let answer = try await HTTP.post(serveURL + "/v1/predict/batch", json: Array(body.serialized().utf8))
            guard answer.status == 200 else {
                throw DemoFailure("the model server answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self).prefix(300))")
            }
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            for (id, row) in zip(ids, batch) { pending.append((now + labelDelay, id, row.label)) }
            totals.events += batch.count
            index += batch.count
            // Labels that are due.
            let due = pending.prefix { $0.due <= now }
            if !due.isEmpty {
                let messages = due.map { item in
                    KafkaProducerMessage(topic: "feedback-events", key: Array(item.id.utf8),
                                         value: FeedbackRecord(eventID: item.id, modelID: modelID, label: item.label, timestamp: now).json())
                }
                try await Self.enqueue(producer, messages)
                totals.labels += due.count
                pending.removeFirst(due.count)
            }
            tick += 1
            if ContinuousClock.now - progressAt >= .seconds(10) {
                progressAt = ContinuousClock.now
                let elapsed = ContinuousClock.now - began
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                timeline.print("  \(timeline.elapsed())  · \(totals.events.formatted()) events replayed (\(Int(Double(totals.events) / max(seconds, 0.001)))/s), \(totals.labels.formatted()) labels")
            }
            try? await Task.sleep(until: began + .milliseconds(tick * 100))
        }
        // The labels still owed, so the last windows get theirs.
        if !pending.isEmpty {
            let wait = max(0, (pending.last?.due ?? 0) - Int64(Date().timeIntervalSince1970 * 1_000))
            try? await Task.sleep(for: .milliseconds(wait))
            let now = Int64(Date().timeIntervalSince1970 * 1_000)
            try await Self.enqueue(producer, pending.map { item in
                KafkaProducerMessage(topic: "feedback-events", key: Array(item.id.utf8),
                                     value: FeedbackRecord(eventID: item.id, modelID: modelID, label: item.label, timestamp: now).json())
            })
            totals.labels += pending.count
        }
        try? await Self.flush(producer)
        await producer.close()
        let elapsed = ContinuousClock.now - began
        totals.rate = Double(totals.events) / max(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, 0.001)
        return totals
    }

    // Typed-throwing async calls behind non-inlined wrappers (a Swift 6.3.1 release-build crash otherwise).
    @inline(never)
    static func enqueue(_ producer: KafkaProducer, _ messages: [KafkaProducerMessage]) async throws {
        try await producer.enqueue(contentsOf: messages)
    }

    @inline(never)
    static func flush(_ producer: KafkaProducer) async throws {
        try await producer.flush(timeout: .seconds(10))
    }
}
